package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class MergeSplitTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void mergeDeliversEveryValueOnceKeepingEachInputsOrder(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 5; round++) {
            int inputs = 10, each = 1000;
            List<Chan<Integer>> ins = new ArrayList<>();
            for (int k = 0; k < inputs; k++) {
                Chan<Integer> c = chan(round % 2 == 0 ? 0 : 7);
                int base = k * each;
                go(() -> {
                    for (int i = 0; i < each; i++) c.put(base + i);
                    c.close();
                });
                ins.add(c);
            }
            List<Integer> all = drain(merge(ins, round));
            assertEquals(inputs * each, all.size());
            Map<Integer, Integer> last = new HashMap<>();
            for (int v : all) {
                Integer prev = last.put(v / each, v);
                assertTrue(prev == null ? v % each == 0 : v == prev + 1, "per-input order, at " + v);
            }
            assertEquals(inputs, last.size());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void mergeClosesOnlyWhenAllInputsClosed(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> a = chan(), b = chan();
        Chan<Integer> m = merge(List.of(a, b));
        a.close();
        a.close();
        go(() -> { b.put(7); });
        assertEquals(7, m.take());
        pause(50);
        assertFalse(m.isClosed());
        b.close();
        assertNull(m.take());
        assertNull(merge(List.<Chan<Integer>>of()).take(), "no inputs: closed at once");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void splitRoutesByPredicateAndClosesBoth(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 10; round++) {
            Pipes.Split<Integer> s = split(n -> n % 3 == 0, toChan(range(3000)), round, 2 * round);
            Chan<List<Integer>> matching = into(new ArrayList<>(), s.matching());
            Chan<List<Integer>> rest = into(new ArrayList<>(), s.rest());
            List<Integer> m = matching.take(), r = rest.take();
            assertEquals(range(3000).stream().filter(n -> n % 3 == 0).toList(), m);
            assertEquals(range(3000).stream().filter(n -> n % 3 != 0).toList(), r);
            assertTrue(s.matching().isClosed() && s.rest().isClosed());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void splitIsHeldBackByAFullOutput(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> src = chan(10);
        for (int i = 0; i < 10; i++) src.put(i);
        Pipes.Split<Integer> s = split(n -> n < 5, src);
        assertEquals(0, s.matching().take());
        pause(50);
        assertNull(s.rest().poll(), "value 1 waits for the matching side");
        assertEquals(List.of(1, 2, 3, 4), take(s.matching(), 4));
        assertEquals(5, s.rest().take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void splitStopsAtAClosedOutputClosesTheOtherAndLeavesTheRestInTheSource(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> src = chan(10);
            Pipes.Split<Integer> s = split(n -> n % 2 == 0, src, round % 3, round % 3);
            s.matching().close();
            for (int i = 1; i <= 5; i++) src.put(i);
            assertEquals(1, s.rest().take(), "odd values go on until an even one meets the closed output");
            assertNull(s.rest().take(), "then the other output closes: its takers see the end");
            assertTrue(s.rest().isClosed());
            assertEquals(List.of(3, 4, 5), take(src, 3), "2 was dropped; what follows it stays in the source");
            assertNull(src.poll());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void mapZipsAndClosesWhenAnyInputCloses(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> sums = Csp.map((List<Integer> xs) -> xs.get(0) + 10 * xs.get(1) + 100 * xs.get(2),
                List.of(toChan(List.of(1, 2, 3, 4, 5)), toChan(List.of(1, 2, 3)), toChan(range(1000))));
        assertEquals(List.of(1 + 10 + 0, 2 + 20 + 100, 3 + 30 + 200), drain(sums));

        Chan<List<Integer>> zipped = Csp.map((List<Integer> xs) -> List.copyOf(xs), List.of(toChan(range(2000)), toChan(range(2000))), 8);
        List<List<Integer>> z = drain(zipped);
        assertEquals(2000, z.size());
        for (int i = 0; i < 2000; i++) assertEquals(List.of(i, i), z.get(i));
        assertNull(Csp.map((List<Integer> xs) -> 1, List.<Chan<Integer>>of()).take(), "no inputs: closed at once");
    }
}
