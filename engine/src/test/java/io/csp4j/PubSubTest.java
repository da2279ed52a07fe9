package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class PubSubTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void hundredTopicsEachValueOnlyToItsTopicsSubscribers(ProcessMode mode) {
        useProcessMode(mode);
        int topics = 100, perTopic = 50;
        Chan<Integer> src = chan(16);
        Pub<Integer> p = pub(src, v -> v / 1000, topic -> Buffers.fixed(4));
        List<List<Chan<List<Integer>>>> results = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            List<Chan<List<Integer>>> subs = new ArrayList<>();
            if (t % 10 != 9) { // every tenth topic has no subscriber: its values are dropped
                for (int s = 0; s < 1 + t % 3; s++) {
                    subs.add(into(new ArrayList<>(), sub(p, t, chan(s))));
                }
            }
            results.add(subs);
        }
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < perTopic; i++)
            for (int t = 0; t < topics; t++) values.add(t * 1000 + i);
        onto(src, values, true);
        for (int t = 0; t < topics; t++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) expected.add(t * 1000 + i);
            for (Chan<List<Integer>> r : results.get(t)) assertEquals(expected, r.take(), "topic " + t);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void unsubAndUnsubAll(ProcessMode mode) {
        useProcessMode(mode);
        Chan<String> src = chan();
        Pub<String> p = pub(src, s -> s.substring(0, 1));
        Chan<String> a1 = sub(p, "a", chan(10)), a2 = sub(p, "a", chan(10)), b = sub(p, "b", chan(10));
        src.put("a1");
        assertEquals("a1", a1.take());
        assertEquals("a1", a2.take());
        src.put("b1");
        assertEquals("b1", b.take());
        unsub(p, "a", a2);
        src.put("a2");
        assertEquals("a2", a1.take());
        unsubAll(p, "b");
        src.put("b2");
        src.put("a3");
        assertEquals("a3", a1.take());
        unsubAll(p);
        src.put("a4");
        src.close();
        pause(100);
        assertNull(a1.poll());
        assertNull(a2.poll());
        assertNull(b.poll());
        assertFalse(a1.isClosed() || a2.isClosed() || b.isClosed(), "unsubscribed channels are not closed");
        assertEquals(java.util.Set.of(), p.topics());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void sourceCloseClosesSubscribersWithTheCloseFlag(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> src = chan();
        Pub<Integer> p = pub(src, v -> v % 2 == 0 ? "even" : "odd");
        Chan<Integer> evens = sub(p, "even", chan(10));
        Chan<Integer> odds = sub(p, "odd", chan(10), false);
        onto(src, range(6), true);
        assertEquals(List.of(0, 2, 4), drain(evens));
        assertEquals(List.of(1, 3, 5), take(odds, 3));
        pause(50);
        assertFalse(odds.isClosed());
        Chan<Integer> late = sub(p, "even", chan(1));
        assertNull(late.take(), "a sub after the source closed is closed");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aSlowTopicHoldsThePubBackUnlessBuffered(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> src = chan();
        Pub<Integer> p = pub(src, v -> v < 100 ? "slow" : "fast");
        Chan<Integer> slow = sub(p, "slow", chan());
        Chan<Integer> fast = sub(p, "fast", chan(10));
        // core.async semantics: the slow topic's mult holds one value (1) while it waits for its
        // subscriber; the next value for that topic (2) then holds the whole pub back, so the fast
        // topic's value (100) waits too.
        go(() -> { src.put(1); src.put(2); src.put(100); });
        pause(100);
        assertNull(fast.poll(), "the pub waits for the slow topic");
        assertEquals(1, slow.take());
        assertEquals(2, slow.take());
        assertEquals(100, fast.take());
    }
}
