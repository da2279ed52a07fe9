package io.csp4j.vertx;

import io.vertx.core.internal.ContextInternal;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A lane over one Vert.x context: every task runs later on that context, in submission order.
 *
 * <p>{@link #execute(Runnable)} hands the task to the context's own executor (for an event-loop
 * context, its Netty event loop's task queue), wrapped in {@link ContextInternal#dispatch(Runnable)},
 * which makes the context current while the task runs ({@code Vertx.currentContext()} is this
 * context) and reports what the task throws to the context's exception handler (else the
 * {@code Vertx}'s, else Vert.x's logger). The executor only enqueues: it never runs the task on the
 * caller's stack, even on the context's own thread ({@code ContextInternal.execute} and
 * {@code emit} would, which is why they are not used).
 *
 * <p>Thread-safe. Rejects tasks once its dispatcher is closed.
 */
final class ContextLane implements Executor {

    private final VertxDispatcher owner;
    private final ContextInternal context;

    ContextLane(VertxDispatcher owner, ContextInternal context) {
        this.owner = owner;
        this.context = context;
    }

    /** The context this lane runs its tasks on. */
    ContextInternal context() {
        return context;
    }

    /**
     * Runs {@code task} later on this lane's context.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed, or the
     *     context's event loop has shut down (its {@code Vertx} was closed)
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        owner.checkOpen();
        submit(context, task);
    }

    /** Enqueues {@code task} on {@code context}, always asynchronously; no closed check. */
    static void submit(ContextInternal context, Runnable task) {
        context.executor().execute(() -> context.dispatch(task));
    }

    @Override
    public String toString() {
        return "ContextLane[" + context + "]";
    }
}
