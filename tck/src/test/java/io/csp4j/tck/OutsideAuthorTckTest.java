package io.csp4j.tck;

import io.csp4j.spi.Dispatcher;
import java.util.EnumSet;
import java.util.Set;

/**
 * The README's path for backend authors ("For backend authors: the TCK"), followed to the letter with
 * a backend written outside the bundled ones: {@link MinimalDispatcher}, under 100 lines on the JDK
 * alone, passes the whole TCK in both process modes.
 */
class OutsideAuthorTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new MinimalDispatcher(2);
    }

    @Override
    protected Set<Capability> capabilities() {
        // an event-loop backend: one thread per lane, tasks in submission order
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
    }
}
