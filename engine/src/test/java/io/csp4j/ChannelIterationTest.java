package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** for (T v : ch): Go's range over a channel, in a process (parks) and on a thread (blocks). */
class ChannelIterationTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndFifoKinds")
    void forEachInAProcessTakesEveryValueInOrderUntilClosed(ProcessMode mode, BufferKind kind) {
        mode(mode);
        for (int round = 0; round < 20 * SCALE; round++) {
            Chan<Integer> c = kind.chan();
            int n = 1 + ThreadLocalRandom.current().nextInt(50);
            boolean unblocking = kind.unblocking();
            go(() -> {
                for (int i = 0; i < n; i++) {
                    c.put(i);
                    if (unblocking) sleep(0); // let the reader keep up: dropping/sliding must not drop
                }
                c.close();
            });
            Chan<List<Integer>> got = go(() -> {
                List<Integer> seen = new ArrayList<>();
                for (Integer v : c) seen.add(v);
                return seen;
            });
            List<Integer> seen = within(10, got::take);
            if (!unblocking) {
                assertEquals(range(n), seen, "round " + round);
            } else {
                assertFalse(seen.isEmpty());
                assertEquals(new ArrayList<>(new java.util.TreeSet<>(seen)), seen, "in order, no duplicates");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void forEachOnAnOrdinaryThreadBlocksAndEndsWhenClosed(ProcessMode mode) {
        mode(mode);
        Chan<String> c = chan();
        go(() -> {
            for (int i = 0; i < 3; i++) {
                sleep(ThreadLocalRandom.current().nextInt(3));
                c.put("boring! " + i);
            }
            c.close();
        });
        List<String> seen = within(10, () -> {
            List<String> s = new ArrayList<>();
            for (String v : c) s.add(v);
            return s;
        });
        assertEquals(List.of("boring! 0", "boring! 1", "boring! 2"), seen);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void breakingOutEarlyLosesNothingAndLeavesTheChannelOpen(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan(100);
        for (int i = 0; i < 10; i++) c.put(i);
        Chan<Integer> firstBig = go(() -> {
            for (Integer v : c) {
                if (v >= 3) return v;
            }
            return -1;
        });
        assertEquals(3, within(10, firstBig::take));
        assertFalse(c.isClosed(), "leaving the loop closes nothing");
        List<Integer> rest = new ArrayList<>();
        for (Integer v; (v = c.poll()) != null; ) rest.add(v);
        assertEquals(List.of(4, 5, 6, 7, 8, 9), rest, "the values after the break stay in the channel");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void severalIteratorsShareTheValuesEachExactlyOnce(ProcessMode mode) {
        mode(mode);
        int n = 2_000 * SCALE;
        Chan<Integer> c = chan(ThreadLocalRandom.current().nextInt(1, 16));
        List<Chan<List<Integer>>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(go(() -> {
                List<Integer> mine = new ArrayList<>();
                for (Integer v : c) mine.add(v);
                return mine;
            }));
        }
        onto(c, range(n), true);
        Set<Integer> all = new HashSet<>();
        int count = 0;
        for (Chan<List<Integer>> r : readers) {
            List<Integer> mine = within(20, r::take);
            count += mine.size();
            all.addAll(mine);
        }
        assertEquals(n, count, "nothing duplicated");
        assertEquals(new HashSet<>(range(n)), all, "nothing lost");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theIteratorFollowsTheIteratorContract(ProcessMode mode) {
        mode(mode);
        Chan<String> c = chan(2);
        c.put("a");
        c.close();
        Iterator<String> it = c.iterator();
        assertTrue(it.hasNext());
        assertTrue(it.hasNext(), "hasNext twice takes once");
        assertEquals("a", it.next());
        assertFalse(it.hasNext());
        assertFalse(it.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
        assertEquals("The channel is closed and drained", e.getMessage());
        assertThrows(UnsupportedOperationException.class, it::remove);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void forEachOnADispatcherThreadOutsideAProcessSaysWhatToUse(ProcessMode mode) {
        mode(mode);
        Chan<String> c = chan();
        java.util.concurrent.CompletableFuture<String> error = new java.util.concurrent.CompletableFuture<>();
        Csp.dispatcher().execute(() -> {
            try {
                for (String s : c) error.complete("took " + s);
                error.complete("ended");
            } catch (IllegalStateException e) {
                error.complete(e.getMessage());
            }
        });
        String msg = within(5, error::join);
        assertTrue(msg.startsWith("take() would block the") && msg.contains("go(...)"), msg);
    }

    static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }
}
