/**
 * The Vert.x scheduler of csp4j: processes run on Vert.x contexts (event loops), a go block started
 * from a verticle stays on the verticle's context. See {@link io.csp4j.vertx.VertxDispatcher}; the
 * interop between channels and Vert.x {@code Future}, {@code ReadStream} and {@code WriteStream} is
 * {@link io.csp4j.vertx.VertxCsp}.
 *
 * <p>It uses {@code io.vertx.core.internal} (exported by vertx-core 5 to everyone) to create event-loop
 * contexts and to dispatch onto a context without the extra wrapping of {@code runOnContext}. The
 * interop uses the engine's public API ({@code io.csp4j}) only; its signatures carry channel types,
 * hence {@code requires transitive}.
 */
module io.csp4j.vertx {
    requires transitive io.csp4j.spi;
    requires transitive io.csp4j.engine;
    requires transitive io.vertx.core;
    requires io.netty.common;    // EventExecutorGroup: one default context per event loop
    requires io.netty.transport; // EventLoop

    exports io.csp4j.vertx;

    provides io.csp4j.spi.DispatcherProvider with io.csp4j.vertx.VertxDispatcherProvider;
}
