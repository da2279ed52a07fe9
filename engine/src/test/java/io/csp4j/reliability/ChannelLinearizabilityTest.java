package io.csp4j.reliability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.reliability.Reliability.Kind;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Linearizability of the channel operations, checked by Lincheck, for every buffer kind, in stress
 * mode (real threads) and model-checking mode (every interleaving of the engine's shared-memory
 * accesses up to a bound).
 *
 * <p><b>What is checked.</b> {@code offer}, {@code poll}, {@code close}, {@code isClosed} and the
 * registration of {@code putAsync}/{@code takeAsync} (a pending put or take). Each concurrent run
 * of these must give results that some sequential run of {@link Model} also gives.
 *
 * <p><b>Why not the blocking {@code put}/{@code take}.</b> A blocking operation has no sequential
 * specification as a plain method: in the sequential model a {@code take()} on an empty channel
 * would never return. Lincheck models such operations as Kotlin {@code suspend} functions (with a
 * resumption the checker controls); Java methods that block a thread with {@code LockSupport} are
 * seen as a hang (an obstruction) rather than a suspension. A blocking {@code put}/{@code take}
 * is, however, exactly a {@code putAsync}/{@code takeAsync} registration followed by a wait for its
 * handler: the same code path in {@code ManyToManyChannel} registers a parked process's handler
 * and an async callback's handler. So the registrations are checked here, and what a pending put
 * or take does to later operations is visible through {@code offer}/{@code poll}/{@code close}:
 * an {@code offer} that meets a pending {@code takeAsync} succeeds on a full or rendezvous
 * channel; a {@code poll} returns a pending {@code putAsync}'s value; closing releases pending
 * takes and keeps pending puts. The completions themselves (the callbacks) run on the dispatcher,
 * outside the checked threads, so the test binds an {@link InertDispatcher} that counts and drops
 * them (the callbacks are no-ops): model checking then sees only the channel's own code.
 *
 * <p><b>The harness can fail.</b> {@link #lincheckCatchesANonAtomicOffer()} runs the same checker
 * on a deliberately broken channel (a capacity check and the insert done as two steps) and asserts
 * that Lincheck reports it.
 */
class ChannelLinearizabilityTest {

    /** Fixed, dropping and sliding buffers hold this many values in these tests. */
    static final int N = 2;

    private static Dispatcher previous;

    @BeforeAll
    static void bindInertDispatcher() {
        previous = Csp.useDispatcher(new InertDispatcher());
    }

    @AfterAll
    static void restoreDispatcher() {
        Csp.useDispatcher(previous);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void linearizableUnderStress(Kind kind) {
        stressOptions(kind).check(testClassOf(kind));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void linearizableUnderModelChecking(Kind kind) {
        modelCheckingOptions(kind).check(testClassOf(kind));
    }

    @Test
    void lincheckCatchesANonAtomicOffer() {
        AssertionError e = assertThrows(AssertionError.class, () -> new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(2)
                .minimizeFailedScenario(false)
                .sequentialSpecification(FixedModel.class)
                .check(BrokenOffer.class));
        assertTrue(e.getMessage().contains("offer"), () -> "the report names the operation: " + e.getMessage());
    }

    @Test
    void lincheckCatchesANonAtomicOfferUnderStress() {
        // The race window of BrokenOffer is two plain field accesses wide; a Thread.yield() inside it
        // (see BrokenOffer.offer) makes real threads hit it within a few thousand runs.
        assertThrows(AssertionError.class, () -> new StressOptions()
                .iterations(100)
                .invocationsPerIteration(5_000)
                .minimizeFailedScenario(false)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(2)
                .sequentialSpecification(FixedModel.class)
                .check(BrokenOffer.class));
    }

    private static StressOptions stressOptions(Kind kind) {
        return new StressOptions()
                .iterations(Reliability.scaled(10, 100))
                .invocationsPerIteration(Reliability.scaled(1_500, 3_000))
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(modelOf(kind));
    }

    private static ModelCheckingOptions modelCheckingOptions(Kind kind) {
        return new ModelCheckingOptions()
                .iterations(Reliability.scaled(8, 30))
                .invocationsPerIteration(Reliability.scaled(100, 500))
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(modelOf(kind));
    }

    private static Class<?> testClassOf(Kind kind) {
        return switch (kind) {
            case UNBUFFERED -> UnbufferedOps.class;
            case FIXED -> FixedOps.class;
            case DROPPING -> DroppingOps.class;
            case SLIDING -> SlidingOps.class;
            case PROMISE -> PromiseOps.class;
            case UNBOUNDED -> UnboundedOps.class;
        };
    }

    private static Class<?> modelOf(Kind kind) {
        return switch (kind) {
            case UNBUFFERED -> UnbufferedModel.class;
            case FIXED -> FixedModel.class;
            case DROPPING -> DroppingModel.class;
            case SLIDING -> SlidingModel.class;
            case PROMISE -> PromiseModel.class;
            case UNBOUNDED -> UnboundedModel.class;
        };
    }

    // ----------------------------------------------------------------------------- the operations

    /** The operations under test, over a real channel. One subclass per buffer kind (Lincheck needs a no-arg constructor). */
    @Param(name = "v", gen = IntGen.class, conf = "1:4")
    public abstract static class ChannelOps {
        private static final Consumer<Object> IGNORE = x -> {};
        private final Chan<Integer> ch;

        ChannelOps(Kind kind) {
            this.ch = kind.make(N);
        }

        @Operation
        public boolean offer(@Param(name = "v") int v) {
            return ch.offer(v);
        }

        @Operation
        public Integer poll() {
            return ch.poll();
        }

        @Operation
        public void close() {
            ch.close();
        }

        @Operation
        public boolean isClosed() {
            return ch.isClosed();
        }

        @Operation
        public void putAsync(@Param(name = "v") int v) {
            ch.putAsync(v, IGNORE);
        }

        @Operation
        public void takeAsync() {
            ch.takeAsync(IGNORE);
        }
    }

    public static final class UnbufferedOps extends ChannelOps {
        public UnbufferedOps() {
            super(Kind.UNBUFFERED);
        }
    }

    public static final class FixedOps extends ChannelOps {
        public FixedOps() {
            super(Kind.FIXED);
        }
    }

    public static final class DroppingOps extends ChannelOps {
        public DroppingOps() {
            super(Kind.DROPPING);
        }
    }

    public static final class SlidingOps extends ChannelOps {
        public SlidingOps() {
            super(Kind.SLIDING);
        }
    }

    public static final class PromiseOps extends ChannelOps {
        public PromiseOps() {
            super(Kind.PROMISE);
        }
    }

    public static final class UnboundedOps extends ChannelOps {
        public UnboundedOps() {
            super(Kind.UNBOUNDED);
        }
    }

    /**
     * A deliberately broken bounded channel (capacity {@link #N}): {@code offer} checks for room and
     * inserts as two separate steps, so two racing offers can both pass the check. Its
     * {@code putAsync}/{@code takeAsync} are not offered to Lincheck (no {@code @Operation}).
     */
    @Param(name = "v", gen = IntGen.class, conf = "1:4")
    public static final class BrokenOffer {
        private final Chan<Integer> ch = Kind.UNBOUNDED.make(N);
        private int size; // the bug: a plain counter, read and written in separate steps

        @Operation
        public boolean offer(@Param(name = "v") int v) {
            if (ch.isClosed() || size >= N) {
                return false;
            }
            Thread.yield(); // widen the window for stress mode; model checking needs no help
            size++;
            return ch.offer(v);
        }

        @Operation
        public Integer poll() {
            Integer v = ch.poll();
            if (v != null) {
                size--;
            }
            return v;
        }

        @Operation
        public void close() {
            ch.close();
        }

        @Operation
        public boolean isClosed() {
            return ch.isClosed();
        }
    }

    // ------------------------------------------------------------------------ the sequential model

    /**
     * The sequential specification: a channel as tck/SPEC.md Part 2 and the Javadoc of Chan describe it, with pending puts
     * (their values, in order) and a count of pending takes.
     */
    public abstract static class Model {
        private final Kind kind;
        private final int capacity;
        private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
        private final ArrayDeque<Integer> pendingPuts = new ArrayDeque<>();
        private int pendingTakes;
        private boolean closed;
        private Integer promised;

        Model(Kind kind) {
            this.kind = kind;
            this.capacity = kind == Kind.UNBOUNDED ? Integer.MAX_VALUE : N;
        }

        public boolean offer(int v) {
            return tryPut(v);
        }

        public Integer poll() {
            return tryTake();
        }

        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            pendingTakes = 0; // pending takers exist only with an empty buffer: they all get null
        }

        public boolean isClosed() {
            return closed;
        }

        public void putAsync(int v) {
            if (!tryPut(v) && !closed) {
                pendingPuts.addLast(v);
            }
        }

        public void takeAsync() {
            if (!hasValue() && pendingPuts.isEmpty() && !closed) {
                pendingTakes++;
                return;
            }
            tryTake();
        }

        /** A put that completes now: into the buffer (kind's rules), or to a pending taker. */
        private boolean tryPut(int v) {
            if (closed) {
                return false;
            }
            switch (kind) {
                case UNBUFFERED -> {
                    if (pendingTakes == 0) {
                        return false;
                    }
                    pendingTakes--;
                    return true;
                }
                case FIXED -> {
                    if (buffer.size() == capacity) {
                        return false; // full: no taker can be pending
                    }
                    buffer.addLast(v);
                }
                case DROPPING -> {
                    if (buffer.size() < capacity) {
                        buffer.addLast(v);
                    }
                }
                case SLIDING -> {
                    if (buffer.size() == capacity) {
                        buffer.removeFirst();
                    }
                    buffer.addLast(v);
                }
                case PROMISE -> {
                    if (promised == null) {
                        promised = v;
                    }
                }
                case UNBOUNDED -> buffer.addLast(v);
            }
            // Feed pending takers from the buffer.
            while (hasValue() && pendingTakes > 0) {
                removeValue();
                pendingTakes--;
            }
            return true;
        }

        /** A take that completes now, or null. */
        private Integer tryTake() {
            if (hasValue()) {
                Integer v = removeValue();
                while (kind == Kind.FIXED && buffer.size() < capacity && !pendingPuts.isEmpty()) {
                    buffer.addLast(pendingPuts.removeFirst());
                }
                return v;
            }
            if (!pendingPuts.isEmpty()) {
                return pendingPuts.removeFirst();
            }
            return null;
        }

        private boolean hasValue() {
            return kind == Kind.PROMISE ? promised != null : !buffer.isEmpty();
        }

        private Integer removeValue() {
            return kind == Kind.PROMISE ? promised : buffer.removeFirst();
        }
    }

    public static final class UnbufferedModel extends Model {
        public UnbufferedModel() {
            super(Kind.UNBUFFERED);
        }
    }

    public static final class FixedModel extends Model {
        public FixedModel() {
            super(Kind.FIXED);
        }
    }

    public static final class DroppingModel extends Model {
        public DroppingModel() {
            super(Kind.DROPPING);
        }
    }

    public static final class SlidingModel extends Model {
        public SlidingModel() {
            super(Kind.SLIDING);
        }
    }

    public static final class PromiseModel extends Model {
        public PromiseModel() {
            super(Kind.PROMISE);
        }
    }

    public static final class UnboundedModel extends Model {
        public UnboundedModel() {
            super(Kind.UNBOUNDED);
        }
    }

    // ------------------------------------------------------------------------------- the dispatcher

    /**
     * A dispatcher that counts and drops what it is given. Used only here, where every callback is a
     * no-op: completions of {@code putAsync}/{@code takeAsync} are outside the checked operations
     * (see the class comment), and dropping them keeps the dispatcher's own threads out of
     * Lincheck's model checking.
     */
    static final class InertDispatcher implements Dispatcher {
        final AtomicLong dropped = new AtomicLong();
        private final Executor lane = task -> dropped.incrementAndGet();

        @Override
        public String name() {
            return "inert";
        }

        @Override
        public void execute(Runnable task) {
            dropped.incrementAndGet();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            dropped.incrementAndGet();
            return () -> true;
        }

        @Override
        public Executor lane() {
            return lane;
        }

        @Override
        public boolean isDispatcherThread() {
            return false;
        }

        @Override
        public void close() {}
    }
}
