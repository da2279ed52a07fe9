package io.csp4j.vertx;

import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;

/**
 * Provides {@link VertxDispatcher} under the name {@value #NAME}.
 *
 * <p>Its priority, {@value #PRIORITY}, is the highest of the bundled backends (ForkJoin 0, Netty 10):
 * putting this jar on the class path is enough to run csp4j on Vert.x. The dispatcher it creates owns
 * a {@code Vertx} of its own; to run on the application's {@code Vertx} instead, bind
 * {@link VertxDispatcher#over(io.vertx.core.Vertx)} programmatically.
 *
 * <p>Thread-safe and stateless; cheap to construct.
 */
public final class VertxDispatcherProvider implements DispatcherProvider {

    /** The short name {@code -Dcsp4j.dispatcher=vertx} selects. */
    public static final String NAME = "vertx";

    /** The highest priority of the bundled backends. */
    public static final int PRIORITY = 20;

    /** Creates the provider (cheap; no {@code Vertx} is created until {@link #create()}). */
    public VertxDispatcherProvider() {}

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** {@value #PRIORITY}. */
    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * A new {@link VertxDispatcher} over a {@code Vertx} of its own (default options, daemon
     * threads), which the caller must close.
     */
    @Override
    public Dispatcher create() {
        return VertxDispatcher.create();
    }
}
