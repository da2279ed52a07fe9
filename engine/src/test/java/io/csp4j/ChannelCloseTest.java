package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** close(): idempotent, releases every waiter, loses no value. */
class ChannelCloseTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndKinds")
    void closeReleasesEveryParkedTakerWithNull(ProcessMode mode, BufferKind kind) throws Exception {
        mode(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> c = kind.chan();
            int takers = 2 + round % 5;
            List<Chan<String>> results = new ArrayList<>();
            for (int i = 0; i < takers; i++) {
                results.add(go(() -> String.valueOf(c.take())));
            }
            if (round % 2 == 0) Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            c.close();
            c.close(); // idempotent
            within(5, () -> {
                for (Chan<String> r : results) assertEquals("null", r.take());
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void parkedPuttersSurviveCloseAndAreDeliveredToLaterTakers(ProcessMode mode) throws Exception {
        mode(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> c = round % 2 == 0 ? chan() : chan(2);
            int putters = 2 + round % 4;
            int buffered = round % 2 == 0 ? 0 : 2;
            if (buffered > 0) {
                c.put(-1);
                c.put(-2);
            }
            List<Chan<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < putters; i++) {
                int v = i;
                outcomes.add(go(() -> c.put(v)));
            }
            eventually(5, () -> ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingPuts() == putters);
            c.close();
            assertFalse(c.put(99), "a put after close is refused");
            Set<Integer> got = new HashSet<>();
            within(5, () -> {
                for (Integer v; (v = c.take()) != null; ) assertTrue(got.add(v), "duplicate " + v);
                return null;
            });
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < putters; i++) expected.add(i);
            if (buffered > 0) {
                expected.add(-1);
                expected.add(-2);
            }
            assertEquals(expected, got, "every parked value is delivered after close");
            within(5, () -> {
                for (Chan<Boolean> o : outcomes) assertEquals(Boolean.TRUE, o.take());
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndFifoKinds")
    void bufferedAndPendingValuesStayTakeableAfterClose(ProcessMode mode, BufferKind kind) throws Exception {
        mode(mode);
        Chan<Integer> c = kind.chan();
        // Two values: in the buffer where there is room, else parked as pending puts.
        var first = c.putAsync(1).toCompletableFuture();
        eventually(5, () -> first.isDone() || ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingPuts() == 1);
        var second = c.putAsync(2).toCompletableFuture();
        eventually(5, () -> second.isDone() || ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingPuts() >= 1);
        c.close();
        assertEquals(1, c.take());
        assertEquals(2, c.take());
        assertNull(c.take());
        assertNull(c.take(), "stays drained");
        assertTrue(first.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(second.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void takeFromAClosedChannelRepeatedlyNeverGrowsTheStack(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan();
        c.close();
        Chan<Integer> count = go(() -> {
            int n = 0;
            for (int i = 0; i < 1_000_000; i++) if (c.take() == null) n++;
            return n;
        });
        assertEquals(1_000_000, within(30, count::take));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void closeRacingPutsAndTakesLosesNothing(ProcessMode mode) {
        mode(mode);
        for (int round = 0; round < 50; round++) {
            Chan<Integer> c = round % 3 == 0 ? chan() : chan(round % 7 + 1);
            int producers = 4;
            int each = 200;
            List<Chan<Integer>> accepted = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * each;
                accepted.add(go(() -> {
                    int ok = 0;
                    for (int i = 0; i < each; i++) if (c.put(base + i)) ok++;
                    return ok;
                }));
            }
            Chan<Integer> received = go(() -> {
                int n = 0;
                Set<Integer> seen = new HashSet<>();
                for (Integer v; (v = c.take()) != null; ) {
                    if (!seen.add(v)) return -1;
                    n++;
                }
                return n;
            });
            go(() -> {
                sleep(ThreadLocalRandom.current().nextInt(2));
                c.close();
            });
            int total = within(10, () -> {
                int sum = 0;
                for (Chan<Integer> a : accepted) sum += a.take();
                return sum;
            });
            assertEquals(total, within(10, received::take), "accepted puts == values received, round " + round);
        }
    }
}
