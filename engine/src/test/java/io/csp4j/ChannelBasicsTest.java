package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Puts, takes, offer/poll and null handling, for every buffer kind, in both process modes. */
class ChannelBasicsTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndFifoKinds")
    void valuesArriveInPutOrderWithNothingLostOrDuplicated(ProcessMode mode, BufferKind kind) {
        mode(mode);
        Chan<Integer> c = kind.chan();
        int n = 2_000;
        Chan<Integer> result = go(() -> {
            int expected = 0;
            for (Integer v; (v = c.take()) != null; ) {
                if (kind.unblocking()) {
                    if (v < expected) return -1; // dropping/sliding may skip values, never reorder or repeat
                    expected = v + 1;
                } else {
                    if (v != expected) return -1;
                    expected++;
                }
            }
            return expected;
        });
        within(20, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(c.put(i));
            }
            c.close();
            int last = result.take();
            if (kind.unblocking()) {
                assertTrue(last > 0 && last <= n, "took up to " + last);
            } else {
                assertEquals(n, last);
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void rendezvousPutWaitsForATaker(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<String> c = chan();
        Chan<Boolean> putDone = go(() -> c.put("x"));
        Thread.sleep(50);
        assertNull(putDone.poll(), "the put completed without a taker");
        assertEquals("x", within(5, c::take));
        assertEquals(Boolean.TRUE, within(5, putDone::take));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void fixedBufferAcceptsNThenParks(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Integer> c = chan(3);
        Chan<Integer> filler = go(() -> {
            for (int i = 0; i < 4; i++) c.put(i);
            return 4;
        });
        Thread.sleep(50);
        assertNull(filler.poll(), "the 4th put into a buffer of 3 must wait");
        assertEquals(0, within(5, c::take));
        assertEquals(4, within(5, filler::take));
        assertEquals(List.of(1, 2, 3), List.of(c.take(), c.take(), c.take()));
    }

    @Test
    void droppingBufferDropsNewValuesAndStillSaysTrue() {
        Chan<Integer> c = chan(Buffers.dropping(2));
        assertTrue(c.put(1));
        assertTrue(c.put(2));
        assertTrue(c.put(3));
        assertTrue(c.offer(4));
        c.close();
        assertEquals(List.of(1, 2), drain(c));
    }

    @Test
    void slidingBufferDropsOldestValues() {
        Chan<Integer> c = chan(Buffers.sliding(2));
        for (int i = 1; i <= 5; i++) assertTrue(c.put(i));
        c.close();
        assertEquals(List.of(4, 5), drain(c));
    }

    @Test
    void unboundedBufferNeverParksAndKeepsEverything() {
        Chan<Integer> c = chan(Buffers.unbounded());
        for (int i = 0; i < 100_000; i++) assertTrue(c.offer(i));
        c.close();
        List<Integer> got = drain(c);
        assertEquals(100_000, got.size());
        for (int i = 0; i < got.size(); i++) assertEquals(i, got.get(i));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void promiseChanGivesTheFirstValueToEveryTakerForever(ProcessMode mode) {
        mode(mode);
        Chan<String> p = promiseChan();
        List<Chan<String>> takers = new ArrayList<>();
        for (int i = 0; i < 10; i++) takers.add(go(p::take));
        assertTrue(p.put("first"));
        assertTrue(p.put("second"), "later puts are accepted");
        within(5, () -> {
            for (Chan<String> t : takers) assertEquals("first", t.take());
            return null;
        });
        assertEquals("first", p.take());
        assertEquals("first", p.poll());
        p.close();
        assertEquals("first", p.take(), "a closed promise keeps its value");
        assertFalse(p.put("third"));
    }

    @Test
    void promiseChanClosedEmptyGivesNull() {
        Chan<String> p = promiseChan();
        p.close();
        assertNull(p.take());
        assertNull(p.poll());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKindsArgs")
    void nullIsNeverAValue(BufferKind kind) {
        Chan<Integer> c = kind.chan();
        NullPointerException e = assertThrows(NullPointerException.class, () -> c.put(null));
        assertEquals("Can't put null on a channel", e.getMessage());
        assertEquals("Can't put null on a channel", assertThrows(NullPointerException.class, () -> c.offer(null)).getMessage());
        assertEquals("Can't put null on a channel",
                assertThrows(NullPointerException.class, () -> c.putAsync(null)).getMessage());
        assertEquals("Can't put null on a channel",
                assertThrows(NullPointerException.class, () -> putOp(c, null)).getMessage());
        assertNull(c.poll(), "nothing was put");
    }

    static List<BufferKind> allKindsArgs() {
        return allKinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKindsArgs")
    void putAfterCloseReturnsFalseAndDropsTheValue(BufferKind kind) {
        Chan<Integer> c = kind.chan();
        c.close();
        assertFalse(c.put(1));
        assertFalse(c.offer(2));
        assertNull(c.take());
        assertTrue(c.isClosed());
    }

    @Test
    void offerAndPollNeverWaitNorEnqueue() {
        Chan<Integer> c = chan();
        assertFalse(c.offer(1), "no taker waits");
        assertNull(c.poll(), "no putter waits");
        Chan<Integer> b = chan(1);
        assertTrue(b.offer(1));
        assertFalse(b.offer(2), "full");
        assertEquals(1, b.poll());
        assertNull(b.poll());
        // offer hands over to a waiting taker
        Chan<Integer> taken = go(c::take);
        within(5, () -> {
            while (!c.offer(42)) Thread.onSpinWait();
            assertEquals(42, taken.take());
            return null;
        });
    }

    @Test
    void badSizesAreRejectedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chan(-1));
        assertTrue(e.getMessage().contains("must be >= 0, was -1"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Buffers.fixed(0)).getMessage()
                .contains("for a rendezvous channel use chan()"));
        assertThrows(IllegalArgumentException.class, () -> Buffers.dropping(-3));
        assertThrows(IllegalArgumentException.class, () -> Buffers.sliding(0));
        assertThrows(IllegalArgumentException.class, () -> chan(0, Xform.identity()));
        assertThrows(NullPointerException.class, () -> chan((Buffer<Integer>) null));
        assertNull(chan(0).poll(), "chan(0) is a rendezvous channel");
    }

    static <T> List<T> drain(Chan<T> c) {
        List<T> out = new ArrayList<>();
        for (T v; (v = c.poll()) != null; ) out.add(v);
        return out;
    }
}
