package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(120)
class PipelineOrderTest {

    enum Kind { COMPUTE, BLOCKING, ASYNC }

    static Stream<Arguments> kindsModesAndParallelism() {
        List<Arguments> all = new ArrayList<>();
        for (ProcessMode mode : ProcessMode.values())
            for (Kind kind : Kind.values())
                for (int n : new int[] {1, 4, 16})
                    all.add(Arguments.of(mode, kind, n));
        return all.stream();
    }

    /** Starts a pipeline of {@code kind} mapping v to 2v; some values take longer, so workers finish out of order. */
    static Chan<Void> start(Kind kind, int n, Chan<Integer> to, ReadPort<Integer> from, AtomicInteger maxInFlight) {
        AtomicInteger inFlight = new AtomicInteger();
        Xform<Integer, Integer> slowSometimes = Xform.map(v -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (kind == Kind.BLOCKING && v % 97 == 0) pause(1);
            long spin = v % 13 == 0 ? 20_000 : 0; // CPU work, not blocking
            long x = 0;
            for (long i = 0; i < spin; i++) x += i;
            inFlight.decrementAndGet();
            return x >= 0 ? 2 * v : -1;
        });
        return switch (kind) {
            case COMPUTE -> pipeline(n, to, slowSometimes, from);
            case BLOCKING -> pipelineBlocking(n, to, slowSometimes, from);
            case ASYNC -> pipelineAsync(n, to, (Integer v, Chan<Integer> res) -> {
                if (v % 7 == 0) {
                    go(() -> { sleep(v % 3); res.put(2 * v); res.close(); });
                } else {
                    res.putAsync(2 * v, ok -> res.close());
                }
            }, from);
        };
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void outputOrderIsInputOrderOverTenThousandValues(ProcessMode mode, Kind kind, int n) {
        useProcessMode(mode);
        int count = 10_000;
        Chan<Integer> to = chan(n);
        AtomicInteger maxInFlight = new AtomicInteger();
        Chan<Void> done = start(kind, n, to, toChan(range(count)), maxInFlight);
        List<Integer> out = drain(to);
        assertNull(done.take());
        assertEquals(count, out.size());
        for (int i = 0; i < count; i++) assertEquals(2 * i, out.get(i), "at index " + i);
        assertTrue(maxInFlight.get() <= n, "never more than n workers at once: " + maxInFlight.get());
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void closeFalseLeavesToOpen(ProcessMode mode, Kind kind, int n) {
        useProcessMode(mode);
        Chan<Integer> to = chan(100);
        Chan<Void> done = switch (kind) {
            case COMPUTE -> pipeline(n, to, Xform.<Integer, Integer>map(v -> v + 1), toChan(range(50)), false, null);
            case BLOCKING -> pipelineBlocking(n, to, Xform.<Integer, Integer>map(v -> v + 1), toChan(range(50)), false, null);
            case ASYNC -> pipelineAsync(n, to, (Integer v, Chan<Integer> r) -> { r.offer(v + 1); r.close(); },
                    toChan(range(50)), false, null);
        };
        assertNull(done.take());
        assertFalse(to.isClosed());
        List<Integer> got = take(to, 50);
        for (int i = 0; i < 50; i++) assertEquals(i + 1, got.get(i));
        assertNull(to.poll());
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void exceptionHandlerReplacesTheFailedValuesOutputsInPlace(ProcessMode mode, Kind kind, int n) {
        useProcessMode(mode);
        Chan<Integer> to = chan(8);
        Xform<Integer, Integer> failOnTens = Xform.map(v -> {
            if (v % 10 == 0) throw new IllegalStateException("boom " + v);
            return v;
        });
        java.util.function.Function<Throwable, Integer> handler = e -> -1;
        switch (kind) {
            case COMPUTE -> pipeline(n, to, failOnTens, toChan(range(100)), true, handler);
            case BLOCKING -> pipelineBlocking(n, to, failOnTens, toChan(range(100)), true, handler);
            case ASYNC -> pipelineAsync(n, to, (Integer v, Chan<Integer> r) -> {
                if (v % 10 == 0) throw new IllegalStateException("boom " + v);
                r.offer(v);
                r.close();
            }, toChan(range(100)), true, handler);
        }
        List<Integer> expected = range(100).stream().map(v -> v % 10 == 0 ? -1 : v).toList();
        assertEquals(expected, drain(to));
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void withoutAHandlerAFailedValueYieldsNothingAndIsReported(ProcessMode mode, Kind kind, int n) {
        if (kind == Kind.ASYNC) return; // covered above; af failures need a handler to produce output
        useProcessMode(mode);
        List<Throwable> errors = captureErrors();
        try {
            Chan<Integer> to = chan(8);
            Xform<Integer, Integer> failOnFive = Xform.map(v -> {
                if (v == 5) throw new IllegalStateException("boom");
                return v;
            });
            if (kind == Kind.COMPUTE) pipeline(n, to, failOnFive, toChan(range(10)));
            else pipelineBlocking(n, to, failOnFive, toChan(range(10)));
            assertEquals(List.of(0, 1, 2, 3, 4, 6, 7, 8, 9), drain(to));
            pause(50);
            assertEquals(1, errors.size());
            assertEquals("boom", errors.get(0).getMessage());
        } finally {
            restore();
        }
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void mapcatOutputsStayGroupedPerInput(ProcessMode mode, Kind kind, int n) {
        if (kind == Kind.ASYNC) return;
        useProcessMode(mode);
        Chan<Integer> to = chan(4);
        Xform<Integer, Integer> twice = Xform.mapcat(v -> List.of(v, -v));
        if (kind == Kind.COMPUTE) pipeline(n, to, twice, toChan(range(1000)));
        else pipelineBlocking(n, to, twice, toChan(range(1000)));
        List<Integer> out = drain(to);
        assertEquals(2000, out.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, out.get(2 * i));
            assertEquals(-i, out.get(2 * i + 1));
        }
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("kindsModesAndParallelism")
    void backPressureBoundsWhatIsTakenFromTheInput(ProcessMode mode, Kind kind, int n) {
        if (kind == Kind.ASYNC) return;
        useProcessMode(mode);
        Chan<Integer> from = chan();
        AtomicInteger accepted = new AtomicInteger();
        go(() -> {
            for (int i = 0; i < 10_000; i++) {
                if (!from.put(i)) return;
                accepted.incrementAndGet();
            }
        });
        Chan<Integer> to = chan(); // nobody reads
        if (kind == Kind.COMPUTE) pipeline(n, to, Xform.<Integer>identity(), from);
        else pipelineBlocking(n, to, Xform.<Integer>identity(), from);
        pause(200);
        int taken = accepted.get();
        assertTrue(taken <= 3 * n + 3, "bounded by the pipeline's buffers, took " + taken + " for n=" + n);
        from.close();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(ProcessMode.class)
    void badParallelismIsRejected(ProcessMode mode) {
        useProcessMode(mode);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pipeline(0, chan(), Xform.identity(), chan()));
        assertTrue(e.getMessage().contains("n >= 1"));
    }
}
