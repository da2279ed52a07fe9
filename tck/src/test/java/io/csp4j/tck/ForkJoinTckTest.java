package io.csp4j.tck;

import io.csp4j.forkjoin.ForkJoinDispatcherProvider;
import io.csp4j.spi.Dispatcher;

/**
 * The whole TCK against the embedded ForkJoin backend. It lives in the TCK module's tests, not in
 * scheduler-forkjoin's: the engine's own tests depend on scheduler-forkjoin, so scheduler-forkjoin
 * depending on the TCK (which depends on the engine) would be a cycle in the reactor.
 *
 * <p>No capabilities: a ForkJoin lane is the pool itself, whose workers may run one lane's tasks
 * concurrently and out of order; the optional clauses are therefore reported as skipped.
 */
class ForkJoinTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new ForkJoinDispatcherProvider().create();
    }
}
