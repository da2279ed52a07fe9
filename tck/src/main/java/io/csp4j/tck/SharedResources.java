package io.csp4j.tck;

import io.csp4j.spi.Dispatcher;

/**
 * Threads an application owns (a Netty {@code EventLoopGroup}, a {@code Vertx}) and a backend's way
 * of running a dispatcher over them, for the TCK's clauses 1.11a and 1.11b ({@code tck/SPEC.md}).
 *
 * <p>A backend that can run over an application's resources (Netty's
 * {@code NettyDispatcher.over(group)}, Vert.x's {@code VertxDispatcher.over(vertx)}) returns one from
 * {@link TckSupport#createSharedResources()}; such a dispatcher must not end threads it did not
 * create, so the clauses that check that {@code close()} ends the dispatcher's threads (1.8b, 1.8d,
 * 1.9) cannot run on it, and 1.11 checks it instead: tasks, lanes and timers on the application's
 * threads, and a {@code close()} that cancels the dispatcher's timers and leaves the resources
 * running.
 * {@snippet :
 * @Override
 * protected SharedResources createSharedResources() {
 *     EventLoopGroup group = new DefaultEventLoopGroup(2, new DefaultThreadFactory("app", true));
 *     return new SharedResources() {
 *         public Dispatcher createDispatcher() { return NettyDispatcher.over(group); }
 *         public void execute(Runnable task) { group.next().execute(task); }
 *         public void close() { group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly(); }
 *     };
 * }
 * }
 *
 * <p>The TCK creates one per clause, closes every dispatcher it made over it first, then closes it.
 * Implementations must be thread-safe.
 */
public interface SharedResources extends AutoCloseable {

    /**
     * A new dispatcher of the backend over these resources, as the application would make it. May
     * be called more than once (also after an earlier one was closed).
     *
     * @return a new, running dispatcher; never {@code null}
     */
    Dispatcher createDispatcher();

    /**
     * Runs {@code task} later on one of these resources' own threads (an event loop of the group, a
     * context of the {@code Vertx}), the way the application's own code runs, without any
     * dispatcher: the TCK checks with it that the resources still run after a dispatcher over them
     * was closed, and that {@code lane()} called there stays on that thread.
     *
     * @param task the task; not {@code null}
     */
    void execute(Runnable task);

    /** Shuts the resources down and waits for their threads; called by the TCK after the clause. */
    @Override
    void close();
}
