package io.csp4j.forkjoin;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded default {@link Dispatcher}: one single-thread {@link ForkJoinPool} per processor
 * (its "loops") plus one timer thread.
 *
 * <p>Overview of implementation. Each loop is a {@code ForkJoinPool} of exactly one daemon worker
 * ({@code csp4j-forkjoin-N}, N counting across dispatchers), in async (FIFO) mode, that may never
 * add a compensation thread. A task submitted from a loop's own thread goes to that loop's local
 * queue (never run on the caller's stack); one submitted from elsewhere goes to the next loop in
 * round-robin order. Each task is wrapped once in a small {@link ForkJoinTask} that catches what it
 * throws and hands it to the uncaught-exception handler, so a failing task neither kills a worker
 * nor stops later tasks. Timers live on one daemon thread, {@code csp4j-forkjoin-timer-N}, a
 * {@link ScheduledThreadPoolExecutor} that only moves due tasks over to a loop (user code never
 * runs on the timer thread); cancelled timers leave its queue at once.
 *
 * <p>Lanes are the loops: {@link #lane()} is the caller's own loop when called on one (a process
 * started from a process stays on its thread, as on Vert.x and Netty), else the next loop in
 * round-robin order. Every step of a process therefore runs on one thread, in submission order.
 * Loop mode needs this: a continuation that moved between threads could see a stale
 * {@code Thread.currentThread()} in JIT-compiled code (and with it the wrong ThreadLocals and lock
 * owners). This is why the default is not one shared work-stealing pool, which DESIGN.md first
 * proposed; see docs/adr/0007-single-thread-lanes.md.
 *
 * <p>Thread-safe. {@link #close()} shuts the timer down at once (pending timers never run), lets
 * tasks already queued finish, and waits up to 10 seconds for the loops to end (unless called from
 * one of them).
 */
public final class ForkJoinDispatcher implements Dispatcher {

    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final AtomicInteger TIMERS = new AtomicInteger();

    private final Loop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread.UncaughtExceptionHandler onError;
    private volatile Thread timerThread;
    private volatile boolean closed;

    /** A dispatcher with one loop per available processor. */
    public ForkJoinDispatcher() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A dispatcher with {@code parallelism} loops; {@code 1} gives a single-thread dispatcher.
     *
     * @param parallelism the number of loops (threads), at least 1
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism) {
        this(parallelism, null);
    }

    /**
     * A dispatcher with {@code parallelism} loops that reports failing tasks to {@code onError}.
     *
     * @param parallelism the number of loops (threads), at least 1
     * @param onError where a task's exception goes; {@code null} for the worker thread's own handler
     *     (by default its thread group's, which prints the stack trace)
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism, Thread.UncaughtExceptionHandler onError) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.onError = onError;
        this.loops = new Loop[parallelism];
        for (int i = 0; i < parallelism; i++) {
            loops[i] = new Loop(this);
        }
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "csp4j-forkjoin-timer-" + TIMERS.getAndIncrement());
            t.setDaemon(true);
            timerThread = t;
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public String name() {
        return ForkJoinDispatcherProvider.NAME;
    }

    /** The number of loops (threads running tasks). */
    public int parallelism() {
        return loops.length;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        Loop own = ownLoop();
        (own != null ? own : nextLoop()).execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        long nanos = Math.max(0, saturatedNanos(delay));
        ScheduledFuture<?> f = timer.schedule(() -> execute(task), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** The caller's own loop if it runs on one of ours, else the next loop in round-robin order. */
    @Override
    public Executor lane() {
        Loop own = ownLoop();
        return own != null ? own : nextLoop();
    }

    @Override
    public boolean isDispatcherThread() {
        return ownLoop() != null || Thread.currentThread() == timerThread;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Loop l : loops) {
            l.pool.shutdown();
        }
        if (isDispatcherThread()) {
            return;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Loop l : loops) {
                if (!l.pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    l.pool.shutdownNow();
                }
            }
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            for (Loop l : loops) {
                l.pool.shutdownNow();
            }
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ForkJoinDispatcher[parallelism=" + loops.length + (closed ? ", closed]" : "]");
    }

    private Loop ownLoop() {
        return Thread.currentThread() instanceof LoopThread t && t.loop.owner == this ? t.loop : null;
    }

    private Loop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    private void report(Throwable error) {
        Thread t = Thread.currentThread();
        Thread.UncaughtExceptionHandler h = onError != null ? onError : t.getUncaughtExceptionHandler();
        try {
            h.uncaughtException(t, error);
        } catch (Throwable ignored) {
            // A failing error handler must not take the worker down either.
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** One single-thread ForkJoinPool: a lane. */
    private static final class Loop implements Executor {
        final ForkJoinDispatcher owner;
        final ForkJoinPool pool;

        Loop(ForkJoinDispatcher owner) {
            this.owner = owner;
            // Exactly one worker that never times out and is never joined by a compensation thread
            // (core and maximum pool size 1, saturate instead of rejecting, a year of keep-alive),
            // so every task of this lane runs on one thread.
            this.pool = new ForkJoinPool(1, p -> new LoopThread(p, this), null, true,
                    1, 1, 1, p -> true, 365, TimeUnit.DAYS);
        }

        @Override
        public void execute(Runnable task) {
            pool.execute(new Step(Objects.requireNonNull(task, "task"), owner));
        }

        @Override
        public String toString() {
            return "ForkJoinDispatcher.Loop[" + pool + "]";
        }
    }

    /** The worker of a loop: knows its loop, so that lane() and isDispatcherThread() are a type check. */
    private static final class LoopThread extends ForkJoinWorkerThread {
        final Loop loop;

        LoopThread(ForkJoinPool pool, Loop loop) {
            super(null, pool, true);
            this.loop = loop;
            setName("csp4j-forkjoin-" + WORKERS.getAndIncrement());
            setDaemon(true);
        }
    }

    /** One task on the pool: runs it once and reports, rather than propagates, what it throws. */
    private static final class Step extends ForkJoinTask<Void> {
        private static final long serialVersionUID = 1L;
        private final transient Runnable task;
        private final transient ForkJoinDispatcher owner;

        Step(Runnable task, ForkJoinDispatcher owner) {
            this.task = task;
            this.owner = owner;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {}

        @Override
        protected boolean exec() {
            try {
                task.run();
            } catch (Throwable t) {
                owner.report(t);
            }
            return true;
        }
    }
}
