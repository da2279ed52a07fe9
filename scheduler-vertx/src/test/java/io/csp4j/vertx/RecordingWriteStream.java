package io.csp4j.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real (if simple) {@link WriteStream} on one Vert.x context with a slow "wire": writes go to a
 * queue that a timer flushes by {@code flushPerTick} items every millisecond; {@code writeQueueFull()}
 * is true at {@code maxQueue} queued items; the drain handler is called once the queue is down to
 * half. Write number {@code failAt} (0-based) fails. It records what it wrote, the largest queue,
 * the drains, the end, and every call made off its context.
 */
final class RecordingWriteStream implements WriteStream<Integer> {

    private final Context context;
    private final int flushPerTick;
    private final int failAt;
    private int maxQueue;
    private int queued;
    private Handler<Void> drainHandler;
    private long timer = -1;

    /** Written values, in order; touched on the context only. */
    final List<Integer> written = new ArrayList<>();
    final AtomicInteger maxQueued = new AtomicInteger();
    final AtomicInteger drains = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();
    final Set<String> offContext = ConcurrentHashMap.newKeySet();

    RecordingWriteStream(Context context, int maxQueue, int flushPerTick, int failAt) {
        this.context = context;
        this.maxQueue = maxQueue;
        this.flushPerTick = flushPerTick;
        this.failAt = failAt;
    }

    private void check(String call) {
        if (Vertx.currentContext() != context) {
            offContext.add(call + " on " + Thread.currentThread().getName());
        }
    }

    @Override
    public WriteStream<Integer> exceptionHandler(Handler<Throwable> handler) {
        check("exceptionHandler");
        return this;
    }

    @Override
    public Future<Void> write(Integer data) {
        check("write");
        if (written.size() == failAt) {
            written.add(data);
            return Future.failedFuture(new java.io.IOException("write " + failAt + " failed"));
        }
        written.add(data);
        queued++;
        maxQueued.accumulateAndGet(queued, Math::max);
        if (timer < 0) {
            // Vert.x runs timers on a context of its choosing (a duplicate): hop to ours, as a stream does.
            timer = context.owner().setPeriodic(1, id -> context.runOnContext(x -> flush()));
        }
        return Future.succeededFuture();
    }

    private void flush() {
        queued = Math.max(0, queued - flushPerTick);
        if (drainHandler != null && queued <= maxQueue / 2) {
            Handler<Void> h = drainHandler;
            drains.incrementAndGet();
            h.handle(null);
        }
    }

    @Override
    public Future<Void> end() {
        check("end");
        ends.incrementAndGet();
        Promise<Void> p = Promise.promise();
        context.owner().setTimer(1, id -> {
            context.owner().cancelTimer(timer);
            p.complete();
        });
        return p.future();
    }

    @Override
    public WriteStream<Integer> setWriteQueueMaxSize(int maxSize) {
        check("setWriteQueueMaxSize");
        maxQueue = maxSize;
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        check("writeQueueFull");
        return queued >= maxQueue;
    }

    @Override
    public WriteStream<Integer> drainHandler(Handler<Void> handler) {
        check("drainHandler");
        drainHandler = handler;
        return this;
    }
}
