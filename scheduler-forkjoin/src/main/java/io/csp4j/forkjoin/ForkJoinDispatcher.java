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
 * The embedded default {@link Dispatcher}: its own {@link ForkJoinPool} plus one timer thread.
 *
 * <p>Overview of implementation. Tasks go to a {@code ForkJoinPool} in async (FIFO) mode whose
 * daemon workers are named {@code csp4j-forkjoin-N} (N counts across dispatchers); submitting from a worker pushes onto that
 * worker's queue and never runs the task on the caller's stack. Each task is wrapped once in a
 * small {@link ForkJoinTask} that catches what the task throws and hands it to the uncaught-exception
 * handler, so a failing task neither kills a worker nor stops later tasks. Timers live on one daemon
 * thread, {@code csp4j-forkjoin-timer-N}, a {@link ScheduledThreadPoolExecutor} that only moves due
 * tasks over to the pool (user code never runs on the timer thread); cancelled timers are removed
 * from its queue at once.
 *
 * <p>The lane of every process is the pool itself: the engine never submits two steps of one process
 * at a time, so steps of a process never overlap, though consecutive steps may run on different
 * workers. With {@code parallelism = 1} the pool is a single-thread lane.
 *
 * <p>Thread-safe. {@link #close()} shuts the timer down at once (pending timers never run), lets
 * tasks already queued finish, and waits up to 10 seconds for the workers to end (unless called from
 * one of them).
 */
public final class ForkJoinDispatcher implements Dispatcher {

    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final AtomicInteger TIMERS = new AtomicInteger();

    private final ForkJoinPool pool;
    private final ScheduledThreadPoolExecutor timer;
    private final Thread.UncaughtExceptionHandler onError;
    private final Executor lane = this::execute;
    private volatile Thread timerThread;

    /** A dispatcher with one worker per available processor. */
    public ForkJoinDispatcher() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A dispatcher with {@code parallelism} workers; {@code 1} gives a single-thread lane.
     *
     * @param parallelism the number of workers, at least 1
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism) {
        this(parallelism, null);
    }

    /**
     * A dispatcher with {@code parallelism} workers that reports failing tasks to {@code onError}.
     *
     * @param parallelism the number of workers, at least 1
     * @param onError where a task's exception goes; {@code null} for the worker thread's own handler
     *     (by default its thread group's, which prints the stack trace)
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism, Thread.UncaughtExceptionHandler onError) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.onError = onError;
        this.pool = new ForkJoinPool(parallelism, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("csp4j-forkjoin-" + WORKERS.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, null, true);
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

    /** The number of workers. */
    public int parallelism() {
        return pool.getParallelism();
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(new Step(Objects.requireNonNull(task, "task"), this));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        long nanos = Math.max(0, saturatedNanos(delay));
        ScheduledFuture<?> f = timer.schedule(() -> execute(task), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Executor lane() {
        return lane;
    }

    @Override
    public boolean isDispatcherThread() {
        Thread t = Thread.currentThread();
        return (t instanceof ForkJoinWorkerThread w && w.getPool() == pool) || t == timerThread;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return pool.isShutdown();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdown();
        if (!isDispatcherThread()) {
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "ForkJoinDispatcher[parallelism=" + pool.getParallelism() + (isClosed() ? ", closed]" : "]");
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
