package io.csp4j.netty;

import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import java.util.EnumSet;
import java.util.Set;

/**
 * The whole TCK ({@code tck/SPEC.md}) against the Netty backend over a group of its own (two
 * executors, so that lanes really are different threads).
 *
 * <p>A lane is one {@code EventExecutor}: one thread, one queue, so the backend declares thread
 * affinity and FIFO lanes.
 */
class NettyTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new NettyDispatcher(2);
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
    }
}
