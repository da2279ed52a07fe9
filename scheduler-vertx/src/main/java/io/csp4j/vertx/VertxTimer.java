package io.csp4j.vertx;

import io.csp4j.spi.Cancellable;
import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One timer of a {@link VertxDispatcher}: a Vert.x timer (or, for a zero delay, a plain dispatch)
 * guarded by a three-state cell so that the task runs at most once and never after a successful
 * {@link #cancel()}.
 *
 * <pre>
 *   PENDING --fire()---> FIRED       the task runs (once)
 *   PENDING --cancel()--> CANCELLED  cancel() returns true; the task never runs
 *   FIRED / CANCELLED                final: a later cancel() returns false
 * </pre>
 *
 * <p>The Vert.x timer id is published after {@code setTimer} returns; a cancel that wins the race
 * before the id is known is completed by {@link #armed(long)}, so the Vert.x timer is always
 * released. Thread-safe.
 */
final class VertxTimer implements Cancellable {

    /** Waiting for its deadline. */
    private static final int PENDING = 0;
    /** The deadline passed and the task was started. */
    private static final int FIRED = 1;
    /** Cancelled before it fired. */
    private static final int CANCELLED = 2;
    /** No Vert.x timer id yet (ids start at 0), or none at all for a zero delay. */
    private static final long NO_ID = -1;

    private final VertxDispatcher owner;
    private final ContextInternal context;
    private final Runnable task;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private volatile long id = NO_ID;

    VertxTimer(VertxDispatcher owner, ContextInternal context, Runnable task) {
        this.owner = owner;
        this.context = context;
        this.task = task;
    }

    /** Arms the timer: {@code millis <= 0} dispatches at once, otherwise a Vert.x timer. */
    void start(long millis) {
        if (millis <= 0) {
            ContextLane.submit(context, this::fire);
        } else {
            armed(context.setTimer(millis, ignoredId -> fire()));
        }
    }

    /** Publishes the Vert.x timer id; releases it at once if a cancel got there first. */
    private void armed(long timerId) {
        id = timerId;
        if (state.get() == CANCELLED) {
            release(timerId);
        }
    }

    /**
     * Cancels the Vert.x timer on its event loop. Netty frees a task cancelled from another thread
     * only when its loop next runs tasks, and an idle loop sleeps until its next deadline: timers
     * cancelled from other threads (an {@code altsWithin} won on another lane, by the hundred
     * thousand) would all stay on the heap until then (issue 18, TCK clause 1.6f). On the loop, the
     * task leaves Netty's queue at once.
     */
    private void release(long timerId) {
        EventLoop loop = context.nettyEventLoop();
        if (loop.inEventLoop()) {
            context.owner().cancelTimer(timerId);
            return;
        }
        try {
            loop.execute(() -> context.owner().cancelTimer(timerId));
        } catch (RejectedExecutionException e) {
            context.owner().cancelTimer(timerId); // the loop is shut down: nothing will run it anyway
        }
    }

    /** Runs on the context when the deadline has passed: runs the task unless it was cancelled. */
    private void fire() {
        if (state.compareAndSet(PENDING, FIRED)) {
            owner.forget(this);
            task.run(); // a throw reaches the context's exception handler (Vert.x's dispatch/emit)
        }
    }

    /**
     * Prevents the task from running if it has not started yet.
     *
     * @return {@code true} if this call prevented the run; {@code false} if it already fired or was
     *     cancelled before
     */
    @Override
    public boolean cancel() {
        if (!state.compareAndSet(PENDING, CANCELLED)) {
            return false;
        }
        owner.forget(this);
        long timerId = id;
        if (timerId != NO_ID) {
            release(timerId);
        }
        return true;
    }

    @Override
    public String toString() {
        return "VertxTimer[" + switch (state.get()) {
            case PENDING -> "pending";
            case FIRED -> "fired";
            default -> "cancelled";
        } + "]";
    }
}
