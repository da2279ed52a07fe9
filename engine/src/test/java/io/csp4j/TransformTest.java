package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Channels carrying a transformation (core.async transducers), applied atomically in put order. */
class TransformTest extends EngineTestSupport {

    @Test
    void mapAndFilterCompose() {
        Channel<Integer, Integer> c = chan(16, Xform.<Integer>filter(n -> n % 2 == 0).then(Xform.map(n -> n * n)));
        for (int i = 0; i < 8; i++) c.put(i);
        c.close();
        assertEquals(List.of(0, 4, 16, 36), drain(c));
    }

    @Test
    void mapcatExpandsOnePutIntoManyValuesEvenPastTheBufferSize() {
        Channel<Integer, Integer> c = chan(2, Xform.<Integer, Integer>mapcat(n -> List.of(n, n, n)));
        assertTrue(c.put(1)); // room: three values land, the buffer is then over-full
        assertFalse(c.offer(2), "over-full buffer makes puts wait");
        c.close();
        assertEquals(List.of(1, 1, 1), drain(c));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void takeClosesTheChannelWhenReducedAndReleasesPendingPutters(ProcessMode mode) throws Exception {
        mode(mode);
        Channel<Integer, Integer> c = chan(1, Xform.take(3));
        Chan<Integer> putter = go(() -> {
            int accepted = 0;
            for (int i = 0; i < 10; i++) if (c.put(i)) accepted++;
            return accepted;
        });
        List<Integer> got = new ArrayList<>();
        within(5, () -> {
            for (Integer v; (v = c.take()) != null; ) got.add(v);
            return null;
        });
        assertEquals(List.of(0, 1, 2), got);
        assertTrue(c.isClosed());
        int accepted = within(5, putter::take);
        assertTrue(accepted >= 3 && accepted <= 4, "puts up to the reducing one are accepted: " + accepted);
    }

    @Test
    void partitionAllFlushesThePartialBatchOnClose() {
        Channel<Integer, List<Integer>> c = chan(4, Xform.partitionAll(3));
        for (int i = 1; i <= 7; i++) c.put(i);
        c.close();
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), drain(c));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void partitionFlushWaitsForPuttersParkedAtClose(ProcessMode mode) throws Exception {
        mode(mode);
        Channel<Integer, List<Integer>> c = chan(1, Xform.partitionAll(2));
        c.put(1);
        c.put(2); // [1,2] fills the buffer
        Chan<Boolean> parked = go(() -> c.put(3));
        eventually(5, () -> ((io.csp4j.internal.ManyToManyChannel<?>) (Object) c).pendingPuts() == 1);
        c.close();
        assertEquals(List.of(1, 2), c.take());
        assertEquals(Boolean.TRUE, within(5, parked::take));
        assertEquals(List.of(3), c.take(), "the parked value is flushed as the last partition");
        assertNull(c.take());
    }

    @Test
    void partitionByDedupeDistinctInterposeDropWhile() {
        Channel<String, List<String>> byLen = chan(8, Xform.partitionBy(String::length));
        for (String s : List.of("a", "b", "cc", "dd", "e")) byLen.put(s);
        byLen.close();
        assertEquals(List.of(List.of("a", "b"), List.of("cc", "dd"), List.of("e")), drain(byLen));

        Channel<Integer, Integer> dd = chan(16, Xform.<Integer>dedupe());
        for (int v : new int[] {1, 1, 2, 2, 1, 3, 3}) dd.put(v);
        dd.close();
        assertEquals(List.of(1, 2, 1, 3), drain(dd));

        Channel<Integer, Integer> ds = chan(16, Xform.<Integer>distinct());
        for (int v : new int[] {1, 1, 2, 2, 1, 3, 3}) ds.put(v);
        ds.close();
        assertEquals(List.of(1, 2, 3), drain(ds));

        Channel<String, String> ip = chan(16, Xform.interpose(","));
        for (String s : List.of("a", "b", "c")) ip.put(s);
        ip.close();
        assertEquals(List.of("a", ",", "b", ",", "c"), drain(ip));

        Channel<Integer, Integer> dw = chan(16, Xform.<Integer>dropWhile(n -> n < 3).then(Xform.takeWhile(n -> n < 6)));
        for (int i = 0; i < 10; i++) dw.put(i);
        assertTrue(dw.isClosed(), "takeWhile reduced");
        assertEquals(List.of(3, 4, 5), drain(dw));
    }

    @Test
    void anExceptionGoesToTheHandlerWhoseValueReplacesIt() {
        Channel<Integer, Integer> c = chan(Buffers.fixed(8), Xform.<Integer, Integer>map(n -> 10 / n),
                e -> -1);
        c.put(5);
        c.put(0);
        c.put(2);
        c.close();
        assertEquals(List.of(2, -1, 5), drain(c));
    }

    @Test
    void withoutAHandlerTheExceptionIsReportedAndTheValueDropped() {
        mode(ProcessMode.VIRTUAL);
        Channel<Integer, Integer> c = chan(8, Xform.<Integer, Integer>map(n -> 10 / n));
        c.put(0);
        c.put(5);
        c.close();
        assertEquals(List.of(2), drain(c));
        assertEquals(1, reported.size());
        assertInstanceOf(ArithmeticException.class, reported.get(0));
        assertFalse(c.put(1));
    }

    @Test
    void aTransformationNeedsABuffer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csp.<Integer>chanBuilder().xform(Xform.<Integer>identity()));
        assertTrue(e.getMessage().contains("needs a buffer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Xform.take(-1));
        assertThrows(IllegalArgumentException.class, () -> Xform.partitionAll(0));
        assertThrows(NullPointerException.class, () -> Xform.map(null));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theTransformationIsAppliedAtomicallyUnderConcurrentPuts(ProcessMode mode) {
        mode(mode);
        // A stateful counter inside the xform: if it ran concurrently, numbers would repeat.
        int[] counter = new int[1];
        Channel<Integer, Integer> c = chan(Buffers.unbounded(), Xform.<Integer, Integer>map(v -> counter[0]++));
        List<Chan<Void>> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) producers.add(go(() -> { for (int i = 0; i < 2_500; i++) c.put(i); }));
        within(10, () -> {
            for (Chan<Void> p : producers) p.take();
            return null;
        });
        c.close();
        List<Integer> got = drain(c);
        assertEquals(10_000, got.size());
        for (int i = 0; i < got.size(); i++) assertEquals(i, got.get(i));
    }

    static <T> List<T> drain(ReadPort<T> c) {
        List<T> out = new ArrayList<>();
        for (T v; (v = c.poll()) != null; ) out.add(v);
        return out;
    }
}
