package io.csp4j;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Shared helpers of the engine tests: the process modes and buffer kinds every clause runs over,
 * a bounded wait, and a recorder of what reaches the uncaught-exception handler.
 */
abstract class EngineTestSupport {

    /** Exceptions reported to the engine's handler during the current test. */
    final List<Throwable> reported = new CopyOnWriteArrayList<>();

    /** The stress scale: 1 in CI (short), 10 with -Dcsp4j.stress=long. */
    static final int SCALE = "long".equals(System.getProperty("csp4j.stress")) ? 10 : 1;

    void mode(ProcessMode mode) {
        Csp.useProcessMode(mode);
        Csp.setUncaughtExceptionHandler(reported::add);
    }

    @AfterEach
    void restoreHandler() {
        Csp.setUncaughtExceptionHandler(null);
    }

    /** Runs {@code body}, failing the test if it takes longer than {@code seconds}. */
    static <T> T within(int seconds, ThrowingSupplier<T> body) {
        return assertTimeoutPreemptively(Duration.ofSeconds(seconds), body);
    }

    /** Waits until {@code condition} holds, at most {@code seconds}. */
    static void eventually(int seconds, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(1);
        }
    }

    /** A named buffer factory, so parameterised tests say which buffer failed. */
    record BufferKind(String name, Supplier<Buffer<Integer>> make, boolean unblocking) {
        Chan<Integer> chan() {
            return make == null ? Csp.chan() : Csp.chan(make.get());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final BufferKind UNBUFFERED = new BufferKind("unbuffered", null, false);
    static final BufferKind FIXED_1 = new BufferKind("fixed(1)", () -> Buffers.fixed(1), false);
    static final BufferKind FIXED_8 = new BufferKind("fixed(8)", () -> Buffers.fixed(8), false);
    static final BufferKind DROPPING = new BufferKind("dropping(8)", () -> Buffers.dropping(8), true);
    static final BufferKind SLIDING = new BufferKind("sliding(8)", () -> Buffers.sliding(8), true);
    static final BufferKind UNBOUNDED = new BufferKind("unbounded", Buffers::unbounded, true);
    static final BufferKind PROMISE = new BufferKind("promise", Buffers::promise, true);

    /** Buffer kinds whose takes return what was put, in order, nothing dropped (given room). */
    static List<BufferKind> fifoKinds() {
        return List.of(UNBUFFERED, FIXED_1, FIXED_8, DROPPING, SLIDING, UNBOUNDED);
    }

    static List<BufferKind> allKinds() {
        List<BufferKind> all = new ArrayList<>(fifoKinds());
        all.add(PROMISE);
        return all;
    }

    /** Every (mode, buffer kind) pair. */
    static Stream<Arguments> modesAndKinds() {
        return Stream.of(ProcessMode.values())
                .flatMap(m -> allKinds().stream().map(k -> Arguments.of(m, k)));
    }

    /** Every (mode, FIFO buffer kind) pair. */
    static Stream<Arguments> modesAndFifoKinds() {
        return Stream.of(ProcessMode.values())
                .flatMap(m -> fifoKinds().stream().map(k -> Arguments.of(m, k)));
    }
}
