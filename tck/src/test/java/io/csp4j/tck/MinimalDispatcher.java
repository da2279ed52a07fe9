package io.csp4j.tck;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An outside author's backend in under 100 lines on the JDK alone, passing the whole TCK: a lane is a
 * {@code ScheduledThreadPoolExecutor} of one daemon thread; beyond it, failures are reported (1.4b),
 * cancelled timers removed (1.6f), close never waits for itself (1.8d) and keeps an interrupt (1.8e).
 * Thread-safe.
 */
final class MinimalDispatcher implements Dispatcher {

    private final ScheduledThreadPoolExecutor[] loops;
    private final Map<Thread, Integer> loopOf = new ConcurrentHashMap<>(); // a thread's loop
    private final AtomicInteger next = new AtomicInteger(); // round robin

    MinimalDispatcher(int parallelism) {
        loops = new ScheduledThreadPoolExecutor[parallelism];
        for (int i = 0; i < parallelism; i++) {
            int k = i;
            loops[i] = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = Thread.ofPlatform().name("minimal-" + k).daemon().unstarted(r);
                loopOf.put(t, k);
                return t;
            });
            loops[i].setRemoveOnCancelPolicy(true);
            loops[i].setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
    }

    @Override
    public String name() {
        return "minimal";
    }

    @Override
    public void execute(Runnable task) {
        lane().execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : delay.toSeconds() > 9_000_000_000L ? Long.MAX_VALUE : delay.toNanos();
        var f = loop(0).schedule(reported(task), nanos, TimeUnit.NANOSECONDS); // one queue: deadline order
        return () -> f.cancel(false);
    }

    @Override
    public Executor lane() {
        ScheduledThreadPoolExecutor loop = loop(Math.floorMod(next.getAndIncrement(), loops.length));
        return task -> loop.execute(reported(task));
    }

    @Override
    public boolean isDispatcherThread() {
        return loopOf.containsKey(Thread.currentThread());
    }

    @Override
    public void close() {
        for (var loop : loops) {
            loop.shutdown(); // runs the tasks already queued; drops the timers not yet due
        }
        boolean interrupted = Thread.interrupted(); // wait anyway, and keep the caller's flag (1.8e)
        for (int i = 0; i < loops.length && !isDispatcherThread(); ) { // never wait for oneself
            try { loops[i].awaitTermination(10, TimeUnit.SECONDS); i++; } catch (InterruptedException e) { interrupted = true; }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The caller's own loop, else loop {@code otherwise}. */
    private ScheduledThreadPoolExecutor loop(int otherwise) {
        Integer own = loopOf.get(Thread.currentThread());
        return loops[own != null ? own : otherwise];
    }

    /** {@code task}, reporting what it throws to the uncaught-exception handler of its thread. */
    private static Runnable reported(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        };
    }
}
