package io.csp4j.netty;

import io.csp4j.spi.Cancellable;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One timer of a {@link NettyDispatcher}: the task Netty schedules and the handle the caller gets.
 *
 * <p>States, as Netty's {@link ScheduledFuture} holds them: pending, then either run (Netty marks it
 * uncancellable just before {@link #run()}) or cancelled. {@link #cancel()} is
 * {@code ScheduledFuture.cancel(false)}, so it returns {@code true} only if it prevented the run. The
 * future is set right after Netty accepts the timer, before the handle is returned to the caller;
 * only {@code close()} can see a timer without it, and {@code schedule} then cancels it itself.
 *
 * <p>Thread-safe.
 */
final class NettyTimer implements Runnable, Cancellable {

    /** An empty task, to wake an executor (see {@link #wake}). */
    private static final Runnable NOTHING = () -> {};

    private final NettyDispatcher owner;
    private final Runnable task;

    /** The executor the timer is scheduled on; written before {@link #future}. */
    private EventExecutor executor;
    /** Netty's handle; {@code null} only while {@code schedule} is still handing the timer over. */
    private volatile ScheduledFuture<?> future;

    NettyTimer(NettyDispatcher owner, Runnable task) {
        this.owner = owner;
        this.task = task;
    }

    void start(EventExecutor on, ScheduledFuture<?> scheduled) {
        executor = on;
        future = scheduled;
    }

    /** Runs on the executor's thread when the timer is due. */
    @Override
    public void run() {
        owner.forget(this);
        // Due just as close() began: a closed dispatcher runs no timer.
        if (owner.isClosed()) {
            return;
        }
        try {
            task.run();
        } catch (Throwable t) {
            // Netty would only store it in the future, which nobody reads.
            owner.report(t);
        }
    }

    @Override
    public boolean cancel() {
        ScheduledFuture<?> f = future;
        if (f != null && f.cancel(false)) {
            owner.forget(this);
            wake(executor);
            return true;
        }
        return false;
    }

    /**
     * Netty frees a task cancelled from another thread only when its executor next runs tasks, and
     * an idle event loop sleeps until its next deadline: timers cancelled from other threads (an
     * {@code altsWithin} won on another lane, by the hundred thousand) would all stay on the heap
     * until then (issue 18, TCK clause 1.6f). An empty task wakes it.
     */
    private static void wake(EventExecutor executor) {
        if (executor != null && !executor.inEventLoop()) {
            try {
                executor.execute(NOTHING);
            } catch (RejectedExecutionException e) {
                // Shut down: nothing is left to free.
            }
        }
    }

    @Override
    public String toString() {
        return "NettyTimer[" + task + "]";
    }
}
