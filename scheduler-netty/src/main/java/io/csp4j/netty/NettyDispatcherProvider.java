package io.csp4j.netty;

import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;

/**
 * Provides {@link NettyDispatcher} under the name {@value #NAME}.
 *
 * <p>Its priority, {@value #PRIORITY}, is above the embedded ForkJoin default (0) and below Vert.x
 * (20), so that adding this jar to the class path is enough to run csp4j on Netty. To run on the
 * application's own {@code EventLoopGroup}, bind {@link NettyDispatcher#over} programmatically
 * instead.
 *
 * <p>Thread-safe; stateless.
 */
public final class NettyDispatcherProvider implements DispatcherProvider {

    /** The short name {@code -Dcsp4j.dispatcher=netty} selects. */
    public static final String NAME = "netty";

    /** Between ForkJoin (0) and Vert.x (20). */
    public static final int PRIORITY = 10;

    /** Creates the provider (cheap; the dispatcher is created by {@link #create()}). */
    public NettyDispatcherProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * A new {@link NettyDispatcher} over its own group of daemon threads, one per available
     * processor; the caller owns it and must close it.
     */
    @Override
    public Dispatcher create() {
        return new NettyDispatcher();
    }
}
