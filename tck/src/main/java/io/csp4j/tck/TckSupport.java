package io.csp4j.tck;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.ReadPort;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/*
 * The root of the TCK's verification classes. It owns the dispatchers a test uses and the helpers
 * every clause shares; the clauses themselves live in the subclasses, one part of tck/SPEC.md each:
 *
 *   TckSupport                the backend hooks: createDispatcher(), capabilities()
 *     DispatcherVerification  Part 1, clauses 1.1 - 1.14 (the Dispatcher SPI alone)
 *       ChannelVerification   Part 2, clauses 2.01 - 2.12 (channels)
 *         AltsVerification    Part 2, clauses 2.20 - 2.27 (alts)
 *           EngineVerification Part 2, clauses 2.30 - 2.42 (processes, timers, async, workloads): the whole TCK
 *
 * Lifecycle: one test instance per class (PER_CLASS). Part 1 clauses take a fresh dispatcher per
 * test (freshDispatcher(), closed after the test; 1.11 also fresh SharedResources, closed after the
 * dispatchers over them); Part 2 clauses share one dispatcher per class
 * (sharedDispatcher(), bound with Csp.useDispatcher and closed after the class), because the engine
 * binding is global and a backend's dispatcher can be costly to start (a Vertx).
 */

/**
 * The base of every TCK verification class: the hooks a backend author implements, and the
 * dispatchers the clauses run on.
 *
 * <p>A backend extends {@link EngineVerification} (the whole TCK) or {@link DispatcherVerification}
 * (Part 1 only) and implements {@link #createDispatcher()}:
 * {@snippet :
 * class MyTckTest extends EngineVerification {
 *     @Override
 *     protected Dispatcher createDispatcher() {
 *         return new MyDispatcher();
 *     }
 *
 *     @Override
 *     protected Set<Capability> capabilities() {
 *         return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
 *     }
 * }
 * }
 *
 * <p>A backend that can run over threads the application owns (an event-loop group, a
 * {@code Vertx}) also implements {@link #createSharedResources()}, so that clauses 1.11a and 1.11b
 * check that configuration; see {@link SharedResources}.
 *
 * <p>Test methods are named after their clause in {@code tck/SPEC.md}: {@code required_spec106a_...}
 * must pass on every backend; {@code optional_...} clauses run only when the backend declares the
 * {@link Capability} they need, and are reported as skipped otherwise. Every test has a time limit
 * of 120 seconds. Not thread-safe: JUnit runs the clauses of one class one at a time (do not enable
 * parallel execution for TCK classes: the engine binding is global).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TckSupport {

    /**
     * How long a clause waits for something that should happen promptly before it fails: 20 seconds,
     * or {@code -Dcsp4j.tck.patience=SECONDS} (a slow CI machine may raise it; mutation testing lowers
     * it, so that a broken dispatcher fails a clause sooner).
     */
    protected static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("csp4j.tck.patience", 20));

    /** How long without progress before a clause that counts tasks gives up waiting for the rest. */
    protected static final Duration STALL = Duration.ofSeconds(3);

    private final List<Dispatcher> fresh = new ArrayList<>();
    private final List<SharedResources> resources = new ArrayList<>();
    private Dispatcher shared;

    /** Constructor for subclasses. */
    protected TckSupport() {}

    /**
     * Creates a new, running dispatcher of the backend under test, owned by the TCK, which closes it.
     * Called once per Part 1 clause and once per Part 2 class.
     *
     * @return a new dispatcher; never {@code null}
     */
    protected abstract Dispatcher createDispatcher();

    /**
     * The optional capabilities of the backend's lanes; clauses that need one the backend lacks are
     * skipped. The default is none (a pool backend).
     *
     * @return the capabilities; never {@code null}
     */
    protected Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * The application-owned resources a dispatcher of the backend can run over (an event-loop group,
     * a {@code Vertx}), for clauses 1.11a and 1.11b, or {@code null} (the default) when the backend
     * always owns its threads: those two clauses are then skipped. Called once per clause that uses
     * it; the TCK closes the dispatchers it made over them, then the resources.
     *
     * @return new resources, or {@code null}
     */
    protected SharedResources createSharedResources() {
        return null;
    }

    /**
     * New resources for the current test, closed after it (after the dispatchers over them); skips
     * the test when the backend has none ({@link #createSharedResources()} returns {@code null}).
     *
     * @return the resources
     */
    protected final SharedResources freshSharedResources() {
        SharedResources r = createSharedResources();
        Assumptions.assumeTrue(r != null,
                "the backend runs over no application-owned resources (createSharedResources() returns null)");
        resources.add(r);
        return r;
    }

    /**
     * Like {@link #freshSharedResources()}, but returns {@code null} instead of skipping the test when
     * the backend has none: for a clause that checks the backend's own dispatcher and, when there are
     * shared resources, a dispatcher over them as well (1.14a).
     *
     * @return the resources, closed after the test, or {@code null}
     */
    protected final SharedResources sharedResourcesIfAny() {
        SharedResources r = createSharedResources();
        if (r != null) {
            resources.add(r);
        }
        return r;
    }

    /**
     * A new dispatcher over {@code r}, closed after the test, before {@code r}.
     *
     * @param r resources from {@link #freshSharedResources()}
     * @return the dispatcher
     */
    protected final Dispatcher freshDispatcherOver(SharedResources r) {
        Dispatcher d = Objects.requireNonNull(r.createDispatcher(), "SharedResources.createDispatcher() returned null");
        fresh.add(d);
        return d;
    }

    /**
     * A new dispatcher for the current test, closed after it.
     *
     * @return the dispatcher
     */
    protected final Dispatcher freshDispatcher() {
        Dispatcher d = Objects.requireNonNull(createDispatcher(), "createDispatcher() returned null");
        fresh.add(d);
        return d;
    }

    /**
     * The dispatcher shared by the Part 2 clauses of this class, created on first use.
     *
     * @return the dispatcher
     */
    protected final Dispatcher sharedDispatcher() {
        if (shared == null) {
            shared = Objects.requireNonNull(createDispatcher(), "createDispatcher() returned null");
        }
        return shared;
    }

    /**
     * Binds the shared dispatcher to the engine and selects the process mode for the processes the
     * clause starts; a clause in {@link ProcessMode#LOOP} is skipped when this JVM lacks loop mode's
     * option ({@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}), and when the backend
     * does not declare {@link Capability#THREAD_AFFINITY}: loop-mode processes are continuations,
     * which must not move between threads (docs/adr/0007-single-thread-lanes.md), so such a backend
     * can only run processes in virtual mode.
     *
     * @param mode the process mode of the clause
     */
    protected final void useEngine(ProcessMode mode) {
        if (mode == ProcessMode.LOOP) {
            Assumptions.assumeTrue(capabilities().contains(Capability.THREAD_AFFINITY),
                    "loop mode needs single-thread lanes: the backend does not declare THREAD_AFFINITY");
        }
        Csp.useDispatcher(sharedDispatcher());
        try {
            Csp.useProcessMode(mode);
        } catch (IllegalStateException e) {
            Assumptions.abort("loop mode is not available in this JVM: " + e.getMessage());
        }
        Csp.setUncaughtExceptionHandler(null);
    }

    /**
     * Skips the current clause unless the backend declares {@code c}.
     *
     * @param c the capability the clause needs
     */
    protected final void assumeCapability(Capability c) {
        Assumptions.assumeTrue(capabilities().contains(c),
                () -> "the backend does not declare " + c + " (see capabilities())");
    }

    /** Closes the dispatchers made for the test that just ended. Not a clause. */
    @AfterEach
    public final void tckCloseFreshDispatchers() {
        Csp.setUncaughtExceptionHandler(null);
        for (Dispatcher d : fresh) {
            d.close();
        }
        fresh.clear();
        for (SharedResources r : resources) {
            r.close();
        }
        resources.clear();
    }

    /** Unbinds and closes the shared dispatcher after the last clause of the class. Not a clause. */
    @AfterAll
    public final void tckCloseSharedDispatcher() {
        if (shared != null) {
            Csp.useDispatcher(null);
            shared.close();
            shared = null;
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    /**
     * Waits until {@code count} reaches {@code target}, giving up when it stops moving for
     * {@link #STALL} or after {@link #PATIENCE} in all, whichever is first.
     *
     * @return the last value read
     */
    protected static int awaitCount(IntSupplier count, int target) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int last = count.getAsInt();
        long lastMove = System.nanoTime();
        while (last < target) {
            sleepQuietly(2);
            int now = count.getAsInt();
            long t = System.nanoTime();
            if (now != last) {
                last = now;
                lastMove = t;
            } else if (t - lastMove > STALL.toNanos() || t > deadline) {
                break;
            }
        }
        return last;
    }

    /**
     * Waits for {@code latch}, failing with {@code what} after {@link #PATIENCE}.
     *
     * @param latch the latch
     * @param what what was awaited, for the failure message
     */
    protected static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what
                        + " (" + latch.getCount() + " still missing)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /**
     * Takes from {@code port} on the calling (ordinary) thread, failing after {@link #PATIENCE}.
     *
     * @return what {@code take()} would return
     */
    protected static <T> T takeWithin(ReadPort<T> port) {
        try {
            return port.takeAsync().toCompletableFuture().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("nothing to take after " + PATIENCE.toSeconds() + " s from " + port, e);
        } catch (ExecutionException e) {
            throw new AssertionError("takeAsync failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sleeps the calling (ordinary) thread, keeping its interrupt status. */
    protected static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The exception the TCK's deliberately failing tasks throw; a backend may log it. */
    protected static RuntimeException deliberate(String clause) {
        return new IllegalStateException("csp4j TCK: deliberate failure to check clause " + clause
                + " (a backend may log this; ignore it)");
    }
}
