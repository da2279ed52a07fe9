package io.csp4j.forkjoin;

import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;

/**
 * Provides the embedded default, {@link ForkJoinDispatcher}, under the name {@value #NAME}.
 *
 * <p>Its priority, {@value #PRIORITY}, is the lowest of the three backends, so that adding the
 * Vert.x or Netty backend's jar to the class path is enough to swap the scheduler.
 */
public final class ForkJoinDispatcherProvider implements DispatcherProvider {

    /** The short name {@code -Dcsp4j.dispatcher=forkjoin} selects. */
    public static final String NAME = "forkjoin";

    /** The lowest priority of the bundled backends. */
    public static final int PRIORITY = 0;

    /** Creates the provider (cheap; the dispatcher is created by {@link #create()}). */
    public ForkJoinDispatcherProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** A new {@link ForkJoinDispatcher} with one worker per available processor. */
    @Override
    public Dispatcher create() {
        return new ForkJoinDispatcher();
    }
}
