package io.csp4j.vertx;

import io.csp4j.ReadPort;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.WriteStream;

/*
 * Overview. Writes the values of a channel to a Vert.x WriteStream with back-pressure
 * (VertxCsp.pipe(ReadPort, WriteStream, boolean)). A single loop, one step at a time:
 *
 *   TAKING   one takeAsync pending            --value-->  write it, then
 *            (first, every value the channel has now is polled and written, at most BATCH of
 *             them, while the stream's write queue is not full)
 *   WAITING  writeQueueFull(): nothing taken  --drainHandler-->  TAKING
 *   TAKING   --null (closed and drained)-->  end() the stream if asked  -->  DONE
 *   any      --a write or the end fails-->  DONE (failed; nothing more is taken)
 *
 * Invariants: at most one takeAsync is pending and never while WAITING, so values are written in
 * the channel's order and at most one value is taken beyond a full write queue; the future completes
 * exactly once. Back-pressure reaches the channel's producers: while WAITING nobody takes, so their
 * puts park once the channel's buffer is full.
 *
 * The context: the one VertxCsp was called on. takeAsync's callback runs on the dispatcher's lane -
 * with a VertxDispatcher the context takeAsync was called from, i.e. this one; with another
 * dispatcher it hops back with runOnContext. Without a context (called from a plain thread) the
 * steps run wherever the callbacks arrive, still one at a time: each step starts the next.
 */
final class WriteStreamPump<T> {

    /** Values polled and written in one step before yielding to the loop with a takeAsync. */
    private static final int BATCH = 256;

    private final ReadPort<T> channel;
    private final WriteStream<T> stream;
    private final boolean end;
    private final Context context;
    private final Promise<Void> done = Promise.promise();

    /** Set by a failed write (on the stream's context); checked before each step. */
    private volatile Throwable failure;

    WriteStreamPump(ReadPort<T> channel, WriteStream<T> stream, boolean end, Context context) {
        this.channel = channel;
        this.stream = stream;
        this.end = end;
        this.context = context;
    }

    Future<Void> start() {
        VertxCsp.onContext(context, this::takeNext);
        return done.future();
    }

    /** Takes the next value, unless the write queue is full (then waits for the drain). */
    private void takeNext() {
        if (failed()) {
            return;
        }
        if (stream.writeQueueFull()) {
            stream.drainHandler(v -> {
                stream.drainHandler(null);
                VertxCsp.onContext(context, this::takeNext);
            });
            return;
        }
        try {
            channel.takeAsync(v -> VertxCsp.onContext(context, () -> onValue(v)));
        } catch (RuntimeException e) { // too many pending takes on the channel
            done.tryFail(e);
        }
    }

    private void onValue(T value) {
        if (failed()) {
            return; // a write failed meanwhile: this value is dropped, as the Future says
        }
        if (value == null) {
            finish();
            return;
        }
        write(value);
        // Values already waiting in the channel go out now, without a hop per value.
        for (int i = 1; i < BATCH && !stream.writeQueueFull() && failure == null; i++) {
            T next = channel.poll();
            if (next == null) {
                break; // empty now, or closed and drained: takeAsync tells which
            }
            write(next);
        }
        takeNext();
    }

    private void write(T value) {
        stream.write(value).onFailure(e -> {
            failure = e;
            done.tryFail(e);
        });
    }

    private boolean failed() {
        return failure != null;
    }

    private void finish() {
        if (!end) {
            done.tryComplete();
            return;
        }
        stream.end().onComplete(r -> {
            if (r.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(r.cause());
            }
        });
    }
}
