package io.csp4j.netty;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;

/**
 * The lane of a process on a {@link NettyDispatcher}: one {@link EventExecutor} of the group, so every
 * step of the process runs on that executor's thread, in submission order.
 *
 * <p>{@link #execute(Runnable)} obeys the same contract as {@link NettyDispatcher#execute(Runnable)}:
 * never on the caller's stack (also from the executor's own thread), each task exactly once, a
 * throwing task reported and later tasks still run.
 *
 * <p>Thread-safe; immutable. Obtained from {@link NettyDispatcher#lane()}, never constructed directly.
 */
public final class NettyLane implements Executor {

    private final NettyDispatcher owner;
    private final EventExecutor executor;

    NettyLane(NettyDispatcher owner, EventExecutor executor) {
        this.owner = owner;
        this.executor = executor;
    }

    /**
     * Runs {@code task} later on this lane's executor.
     *
     * @param task the task; not {@code null}
     * @throws NullPointerException if {@code task} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed or the
     *     executor shut down
     */
    @Override
    public void execute(Runnable task) {
        owner.submit(executor, task);
    }

    /** {@return the Netty executor behind this lane (for Netty APIs that want one, such as promises)} */
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public String toString() {
        return "NettyLane[" + executor + "]";
    }
}
