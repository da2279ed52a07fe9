package io.csp4j.readme;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The README's TCK snippet, verbatim (see ReadmeSnippets): compiled and checked against the README.
 * Its class is a member class, which surefire does not run (the backends run the TCK themselves).
 */
@SuppressWarnings("unused")
final class ReadmeTckSnippets {

    private ReadmeTckSnippets() {}

    /** The backend of the snippet: the ForkJoin one under another name. */
    static final class MyDispatcher implements Dispatcher {
        private final ForkJoinDispatcher d = new ForkJoinDispatcher();

        @Override public String name() { return "my"; }
        @Override public void execute(Runnable task) { d.execute(task); }
        @Override public Cancellable schedule(Duration delay, Runnable task) { return d.schedule(delay, task); }
        @Override public Executor lane() { return d.lane(); }
        @Override public boolean isDispatcherThread() { return d.isDispatcherThread(); }
        @Override public void close() { d.close(); }
    }

    // @start region="tck"
    class MyTckTest extends EngineVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new MyDispatcher();
        }

        @Override
        protected Set<Capability> capabilities() {
            // an event-loop backend: one thread per lane, tasks in submission order
            return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
        }
    }
    // @end
}
