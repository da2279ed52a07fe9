package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ReduceIntoTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void reduceFoldsEveryValue(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Long> sum = reduce((Long acc, Integer v) -> acc + v, 0L, toChan(range(10_001)));
            assertEquals(50_005_000L, sum.take());
            assertNull(sum.take(), "the result channel closes after the result");
        }
        assertEquals("init", reduce((String a, Integer v) -> a + v, "init", toChan(List.<Integer>of())).take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void reduceWaitsForTheChannelToClose(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> c = chan(10);
        Chan<Integer> r = reduce(Integer::sum, 0, c);
        c.put(1);
        c.put(2);
        pause(50);
        assertNull(r.poll());
        c.close();
        assertEquals(3, r.take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void reduceWhoseFunctionReturnsNullClosesEmptyAndReports(ProcessMode mode) {
        useProcessMode(mode);
        List<Throwable> errors = captureErrors();
        try {
            Chan<Integer> r = reduce((Integer a, Integer v) -> null, 0, toChan(List.of(1)));
            assertNull(r.take());
            pause(50);
            assertEquals(1, errors.size());
            assertInstanceOf(NullPointerException.class, errors.get(0));
        } finally {
            restore();
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void intoFillsTheCollectionInOrder(ProcessMode mode) {
        useProcessMode(mode);
        ArrayList<Integer> target = new ArrayList<>(List.of(-1));
        ArrayList<Integer> filled = into(target, toChan(range(1000))).take();
        assertSame(target, filled);
        List<Integer> expected = new ArrayList<>(List.of(-1));
        expected.addAll(range(1000));
        assertEquals(expected, filled);
        assertEquals(new TreeSet<>(List.of(1, 2, 3)), into(new TreeSet<Integer>(), toChan(List.of(3, 1, 2, 1))).take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void transduceAppliesTheTransformationAndFlushes(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> sumOfSquaresOfEvens = transduce(
                Xform.<Integer>filter(n -> n % 2 == 0).then(Xform.map(n -> n * n)), Integer::sum, 0, toChan(range(10)));
        assertEquals(0 + 4 + 16 + 36 + 64, sumOfSquaresOfEvens.take());

        Chan<List<List<Integer>>> parts = transduce(Xform.<Integer>partitionAll(3),
                (List<List<Integer>> acc, List<Integer> p) -> { acc.add(p); return acc; },
                new ArrayList<>(), toChan(range(7)));
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6)), parts.take(), "complete() flushes the last partition");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void transduceStopsTakingWhenReduced(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> src = chan(100);
        for (int i = 0; i < 10; i++) src.put(i);
        Chan<Integer> r = transduce(Xform.<Integer>take(3), Integer::sum, 0, src);
        assertEquals(0 + 1 + 2, r.take(), "transduce delivers without waiting for the input to close");
        assertEquals(3, src.poll(), "nothing beyond the third value was taken");
    }
}
