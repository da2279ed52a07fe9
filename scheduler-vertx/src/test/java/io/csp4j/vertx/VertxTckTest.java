package io.csp4j.vertx;

import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import java.util.EnumSet;
import java.util.Set;

/**
 * The whole TCK ({@code tck/SPEC.md}) against the Vert.x backend over a {@code Vertx} of its own.
 *
 * <p>A lane is a Vert.x event-loop context: one thread, one queue, so the backend declares thread
 * affinity and FIFO lanes.
 */
class VertxTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return VertxDispatcher.create();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
    }
}
