package io.csp4j;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A real {@link ForkJoinDispatcher} behind a dispatcher of a test's own, which overrides what it
 * observes or breaks (timers, mostly) and forwards the rest. Bound as the engine's dispatcher while
 * open; {@link #close()} unbinds and closes it.
 */
abstract class BoundForkJoinDispatcher implements Dispatcher {

    final ForkJoinDispatcher inner = new ForkJoinDispatcher();

    BoundForkJoinDispatcher() {
        Csp.useDispatcher(this);
    }

    @Override
    public void execute(Runnable task) {
        inner.execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return inner.schedule(delay, task);
    }

    @Override
    public Executor lane() {
        return inner.lane();
    }

    @Override
    public boolean isDispatcherThread() {
        return inner.isDispatcherThread();
    }

    @Override
    public void close() {
        Csp.useDispatcher(null);
        inner.close();
    }
}
