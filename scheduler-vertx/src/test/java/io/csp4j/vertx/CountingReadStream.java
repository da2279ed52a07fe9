package io.csp4j.vertx;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real (if simple) {@link ReadStream} of the integers {@code 0..n-1} that lives on one Vert.x
 * context: it emits in chunks of at most {@code highWaterMark} items per event-loop turn, honours
 * {@code pause}/{@code resume}/{@code fetch} (demand is checked before every item, or, for a
 * "sloppy" stream, only before every chunk, as a stream that hands out a whole read buffer would),
 * then calls its end handler. It can fail after {@code failAfter} items.
 *
 * <p>It counts the items emitted but not yet consumed (the consumer calls {@link #consumed()}) and
 * keeps the maximum, and records every call made from another thread than its context's.
 */
final class CountingReadStream implements ReadStream<Integer> {

    private final Context context;
    private final int n;
    private final int highWaterMark;
    private final boolean checksDemandPerItem;
    private final int failAfter;

    private Handler<Integer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private int next;
    private boolean ended;
    private boolean scheduled;

    final AtomicLong emitted = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong maxInFlight = new AtomicLong();
    final AtomicInteger pauses = new AtomicInteger();
    /** Calls made off the stream's context: must stay empty. */
    final Set<String> offContext = ConcurrentHashMap.newKeySet();

    CountingReadStream(Context context, int n, int highWaterMark, boolean checksDemandPerItem, int failAfter) {
        this.context = context;
        this.n = n;
        this.highWaterMark = highWaterMark;
        this.checksDemandPerItem = checksDemandPerItem;
        this.failAfter = failAfter;
    }

    /** The consumer took one item. */
    void consumed() {
        consumed.incrementAndGet();
    }

    private void check(String call) {
        if (Vertx.currentContext() != context) {
            offContext.add(call + " on " + Thread.currentThread().getName());
        }
    }

    private void schedule() {
        if (!scheduled && !ended) {
            scheduled = true;
            context.runOnContext(v -> emit());
        }
    }

    private void emit() {
        scheduled = false;
        if (handler == null || demand == 0) {
            return;
        }
        for (int i = 0; i < highWaterMark && next < n && (demand > 0 || !checksDemandPerItem); i++) {
            if (next == failAfter) {
                ended = true;
                exceptionHandler.handle(new java.io.IOException("stream failed after " + failAfter));
                return;
            }
            if (demand != Long.MAX_VALUE && demand > 0) demand--;
            long inFlight = emitted.incrementAndGet() - consumed.get();
            maxInFlight.accumulateAndGet(inFlight, Math::max);
            handler.handle(next++);
            if (handler == null) return; // unhooked by the consumer side
        }
        if (next == n && !ended) {
            ended = true;
            if (endHandler != null) endHandler.handle(null);
        } else if (demand > 0) {
            schedule();
        }
    }

    @Override
    public ReadStream<Integer> exceptionHandler(Handler<Throwable> h) {
        check("exceptionHandler");
        exceptionHandler = h;
        return this;
    }

    @Override
    public ReadStream<Integer> handler(Handler<Integer> h) {
        check("handler");
        handler = h;
        if (h != null) schedule();
        return this;
    }

    @Override
    public ReadStream<Integer> pause() {
        check("pause");
        pauses.incrementAndGet();
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Integer> resume() {
        check("resume");
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Integer> fetch(long amount) {
        check("fetch");
        demand = amount == Long.MAX_VALUE || demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Integer> endHandler(Handler<Void> h) {
        check("endHandler");
        endHandler = h;
        return this;
    }
}
