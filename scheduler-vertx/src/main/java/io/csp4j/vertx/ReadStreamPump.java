package io.csp4j.vertx;

import io.csp4j.WritePort;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/*
 * Overview. Feeds a Vert.x ReadStream into a channel with back-pressure (VertxCsp.pipe(ReadStream,
 * WritePort, boolean)). Each item is first offered (no waiting); when the channel cannot take it now,
 * the stream is paused and the item is put with putAsync; when that put completes, the items that
 * arrived meanwhile are put, in order, and the stream is resumed.
 *
 * States (all fields are touched on the stream's context only, one event at a time):
 *
 *   FLOWING  --offer refused-->  PUTTING (stream paused, one putAsync pending, later items queued)
 *   PUTTING  --put accepted, queue drained-->  FLOWING (stream resumed)
 *   FLOWING/PUTTING  --end or exception-->  ENDING (no more items; pending ones are still put)
 *   ENDING   --nothing pending-->  DONE (channel closed if asked; future completed)
 *   any      --put refused (channel closed)-->  DONE (stream left paused, handlers removed)
 *
 * Invariants: at most one putAsync is pending; items reach the channel in the stream's order;
 * nothing is put after DONE; the future completes exactly once. Items outside the stream and not
 * yet taken: the channel's buffer, plus the pending put, plus what the stream delivered after
 * pause() (zero for a stream that honours pause at once).
 *
 * The context: the one VertxCsp was called on, else the one of the first event the stream
 * delivers. putAsync's callback runs on the dispatcher's lane - with a VertxDispatcher, the context
 * putAsync was called from, i.e. this one; with another dispatcher, it hops back with runOnContext.
 *
 * Difference from Vert.x's own Pipe: the destination is a channel, whose "write queue full" is
 * "offer refused" and whose "drain" is the completion of the pending put.
 */
final class ReadStreamPump<T> {

    private final ReadStream<T> stream;
    private final WritePort<T> channel;
    private final boolean close;
    private final Promise<Void> done = Promise.promise();

    /** The stream's context; {@code null} until known. Written and read on the stream's context. */
    private volatile Context context;
    /** Items received while a put was pending, in arrival order. */
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    /** A putAsync is pending: the stream is paused and new items are queued. */
    private boolean putting;
    /** The stream ended or failed: no more items will come. */
    private boolean ending;
    /** The stream's failure, when it failed. */
    private Throwable failure;
    /** Finished: the future is completed, nothing more happens. */
    private boolean finished;

    ReadStreamPump(ReadStream<T> stream, WritePort<T> channel, boolean close, Context context) {
        this.stream = stream;
        this.channel = channel;
        this.close = close;
        this.context = context;
    }

    Future<Void> start() {
        stream.exceptionHandler(e -> { learnContext(); onFailure(e); });
        stream.endHandler(v -> { learnContext(); onEnd(); });
        stream.handler(item -> { learnContext(); onItem(item); });
        stream.resume();
        return done.future();
    }

    private void learnContext() {
        if (context == null) {
            context = Vertx.currentContext();
        }
    }

    private void onItem(T item) {
        if (finished || ending) {
            return; // the channel was closed by its consumer, or the stream already said it ended
        }
        if (putting) {
            queue.add(item); // a stream that delivers after pause(): keep the order
            return;
        }
        deliver(item);
    }

    /** Offers {@code item}; if the channel cannot take it now, pauses the stream and puts it later. */
    private void deliver(T item) {
        if (channel.offer(item)) {
            return;
        }
        if (channel.isClosed()) {
            stop();
            return;
        }
        putting = true;
        stream.pause();
        channel.putAsync(item, accepted -> VertxCsp.onContext(context, () -> afterPut(accepted)));
    }

    private void afterPut(boolean accepted) {
        putting = false;
        if (!accepted) {
            stop();
            return;
        }
        // Items that came in meanwhile go first, in order; one of them may have to wait again.
        while (!putting && !finished && !queue.isEmpty()) {
            deliver(queue.poll());
        }
        if (putting || finished) {
            return;
        }
        if (ending) {
            finish();
        } else {
            stream.resume();
        }
    }

    private void onEnd() {
        if (finished || ending) {
            return;
        }
        ending = true;
        if (!putting) {
            finish();
        }
    }

    private void onFailure(Throwable e) {
        if (finished || ending) {
            return;
        }
        failure = e;
        ending = true;
        unhook(); // a failed stream may still call back; nothing more is taken from it
        if (!putting) {
            finish();
        }
    }

    /** The stream ended (or failed) and everything received was put. */
    private void finish() {
        finished = true;
        unhook();
        // The future first, so that an error handler sees the failure before takers see the close.
        if (failure != null) {
            done.tryFail(failure);
        } else {
            done.tryComplete();
        }
        if (close) {
            channel.close();
        }
    }

    /** The channel was closed by someone else: leave the stream paused and stop listening. */
    private void stop() {
        finished = true;
        queue.clear();
        stream.pause();
        unhook();
        done.tryComplete();
    }

    private void unhook() {
        stream.handler(null);
        stream.endHandler(null);
        stream.exceptionHandler(null);
    }
}
