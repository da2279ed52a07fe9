package io.csp4j.tck;

import io.csp4j.forkjoin.ForkJoinDispatcherProvider;
import io.csp4j.spi.Dispatcher;

/**
 * The whole TCK against the embedded ForkJoin backend. It lives in the TCK module's tests, not in
 * scheduler-forkjoin's: the engine's own tests depend on scheduler-forkjoin, so scheduler-forkjoin
 * depending on the TCK (which depends on the engine) would be a cycle in the reactor.
 *
 * <p>A ForkJoin lane is one single-thread loop of the dispatcher, so the backend declares thread
 * affinity and FIFO lanes, like the event-loop backends; unlike them, it moves processes that have
 * not started from a lane that is held to an idle one (clauses 1.13a-d), when it has two lanes or more.
 */
class ForkJoinTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new ForkJoinDispatcherProvider().create();
    }

    @Override
    protected java.util.Set<Capability> capabilities() {
        java.util.Set<Capability> c =
                java.util.EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES);
        // The provider's dispatcher has one lane per processor: work can move only if there are two.
        if (Runtime.getRuntime().availableProcessors() >= 2) {
            c.add(Capability.MIGRATES_UNSTARTED_WORK);
        }
        return c;
    }
}
