package io.csp4j.vertx;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A dispatcher that is not Vert.x: one platform thread of a {@link ScheduledThreadPoolExecutor}
 * (every lane is that thread). With it, channel callbacks arrive off the stream's context, so the
 * interop must hop back to the context itself.
 */
final class PlainDispatcher implements Dispatcher {

    private final ScheduledExecutorService pool = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "plain-dispatcher");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var f = pool.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Executor lane() {
        return pool;
    }

    @Override
    public boolean isDispatcherThread() {
        return Thread.currentThread().getName().equals("plain-dispatcher");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
