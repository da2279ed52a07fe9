/**
 * Runs csp4j processes on Netty {@code EventExecutor}s: either a group the backend creates itself or
 * the application's own {@code EventLoopGroup}. See {@link io.csp4j.netty.NettyDispatcher}; Netty
 * futures and promises meet channels in {@link io.csp4j.netty.NettyChannels}.
 *
 * <p>Its only Netty dependency is {@code netty-common} (module {@code io.netty.common}).
 */
module io.csp4j.netty {
    requires transitive io.csp4j.spi;
    // Transitive: NettyChannels takes and returns the engine's channel types (package io.csp4j only).
    requires transitive io.csp4j.engine;
    // Transitive: EventExecutorGroup and EventExecutor appear in this module's public API.
    requires transitive io.netty.common;

    exports io.csp4j.netty;

    provides io.csp4j.spi.DispatcherProvider with io.csp4j.netty.NettyDispatcherProvider;
}
