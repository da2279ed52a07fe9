package io.csp4j.spi;

import java.time.Duration;
import java.util.concurrent.Executor;

/** Providers registered for the lookup tests (see META-INF/services in the test resources). */
final class TestProviders {

    private TestProviders() {}

    /** A dispatcher that is never used to run anything: the lookup tests only compare providers. */
    static final class Inert implements Dispatcher {
        private final String name;

        Inert(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public void execute(Runnable task) { throw new UnsupportedOperationException(); }
        @Override public Cancellable schedule(Duration delay, Runnable task) { throw new UnsupportedOperationException(); }
        @Override public Executor lane() { return this::execute; }
        @Override public boolean isDispatcherThread() { return false; }
        @Override public void close() {}
    }

    public static final class Low implements DispatcherProvider {
        @Override public String name() { return "low"; }
        @Override public int priority() { return -5; }
        @Override public Dispatcher create() { return new Inert(name()); }
    }

    public static final class High implements DispatcherProvider {
        @Override public String name() { return "high"; }
        @Override public int priority() { return 50; }
        @Override public Dispatcher create() { return new Inert(name()); }
    }

    /** Not registered: reachable only by class name. */
    public static final class Unregistered implements DispatcherProvider {
        @Override public String name() { return "unregistered"; }
        @Override public int priority() { return 1000; }
        @Override public Dispatcher create() { return new Inert(name()); }
    }

    /** Not registered, and has no public no-argument constructor. */
    public static final class NoDefaultConstructor implements DispatcherProvider {
        public NoDefaultConstructor(int ignored) {}
        @Override public String name() { return "broken"; }
        @Override public int priority() { return 0; }
        @Override public Dispatcher create() { throw new UnsupportedOperationException(); }
    }
}
