package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class PipeTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pipeForwardsEverythingInOrderThenClosesTo(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> to = chan(3);
            assertSame(to, pipe(toChan(range(1000)), to));
            assertEquals(range(1000), drain(to));
            assertTrue(to.isClosed());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pipeWithoutCloseLeavesToOpen(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> to = chan(10);
        Chan<Integer> from = toChan(List.of(1, 2, 3));
        pipe(from, to, false);
        assertEquals(List.of(1, 2, 3), take(to, 3));
        pause(50);
        assertFalse(to.isClosed());
        assertTrue(to.put(4));
        assertEquals(4, to.take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pipeStopsTakingWhenToIsClosed(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> from = chan(10);
        for (int i = 0; i < 10; i++) from.put(i);
        Chan<Integer> to = chan();
        pipe(from, to);
        assertEquals(0, to.take());
        to.close();
        pause(100);
        // the pipe held at most one more value (dropped, as in core.async); the rest stays in from
        from.close();
        List<Integer> rest = drain(from);
        assertTrue(rest.equals(range(10).subList(1, 10)) || rest.equals(range(10).subList(2, 10)), rest.toString());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pipeHasTheBackPressureOfTo(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> from = chan();
        Chan<Integer> to = chan(2);
        AtomicInteger accepted = new AtomicInteger();
        go(() -> {
            for (int i = 0; i < 100; i++) {
                if (!from.put(i)) return;
                accepted.incrementAndGet();
            }
        });
        pipe(from, to);
        pause(200);
        assertEquals(3, accepted.get(), "two in to's buffer, one in the pipe's hand");
        assertEquals(List.of(0, 1, 2), take(to, 3));
        from.close();
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void ontoPutsEveryElementAndClosesWhenAsked(ProcessMode mode) {
        useProcessMode(mode);
        Chan<String> c = chan();
        Chan<Void> done = onto(c, List.of("a", "b", "c"), true);
        assertEquals(List.of("a", "b", "c"), drain(c));
        assertNull(done.take());

        Chan<String> open = chan(5);
        assertNull(onto(open, List.of("x", "y"), false).take());
        assertFalse(open.isClosed());
        assertEquals(List.of("x", "y"), take(open, 2));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void ontoStopsWhenTheChannelCloses(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> c = chan();
        Iterable<Integer> endless = () -> new java.util.Iterator<>() {
            int i;
            public boolean hasNext() { return true; }
            public Integer next() { return i++; }
        };
        Chan<Void> done = onto(c, endless, false);
        assertEquals(List.of(0, 1, 2), take(c, 3));
        c.close();
        Integer parked = c.take(); // 3 if onto's put was already parked at close (closing loses no value)
        assertTrue(parked == null || parked == 3, String.valueOf(parked));
        assertNull(done.take(), "onto's next put fails and it ends");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void toChanOfEmptyAndLargeCollections(ProcessMode mode) {
        useProcessMode(mode);
        assertEquals(List.of(), drain(toChan(List.<Integer>of())));
        assertEquals(range(5000), drain(toChan(range(5000))));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void takeNForwardsAtMostNAndLeavesTheRest(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> src = chan(100);
        for (int i = 0; i < 10; i++) src.put(i);
        assertEquals(List.of(0, 1, 2, 3), drain(Csp.take(4, src)));
        pause(50);
        assertEquals(4, src.take(), "take(n) takes nothing beyond the n-th value");
        src.close();
        assertEquals(range(10).subList(5, 10), drain(Csp.take(100, src, 3)), "closes early when the input closes");
        assertEquals(List.of(), drain(Csp.take(0, chan())));
        assertThrows(IllegalArgumentException.class, () -> Csp.take(-1, chan()));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void nullArgumentsAreRejected(ProcessMode mode) {
        useProcessMode(mode);
        assertThrows(NullPointerException.class, () -> pipe(null, chan()));
        assertThrows(NullPointerException.class, () -> pipe(chan(), null));
        assertThrows(NullPointerException.class, () -> onto(null, List.of(1), true));
        assertThrows(NullPointerException.class, () -> toChan(null));
    }
}
