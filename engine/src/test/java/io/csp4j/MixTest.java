package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class MixTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void twoThousandFortyEightInputsEveryValueExactlyOnce(ProcessMode mode) {
        useProcessMode(mode);
        int inputs = 2048, each = 5;
        Chan<Integer> out = chan(64);
        Mix<Integer> m = mix(out);
        for (int k = 0; k < inputs; k++) {
            Chan<Integer> in = chan();
            admix(m, in);
            int base = k * each;
            go(() -> {
                for (int i = 0; i < each; i++) in.put(base + i);
                in.close();
            });
        }
        List<Integer> got = take(out, inputs * each);
        assertEquals(inputs * each, new HashSet<>(got).size(), "nothing duplicated");
        Map<Integer, Integer> last = new HashMap<>();
        for (int v : got) {
            Integer prev = last.put(v / each, v);
            assertTrue(prev == null ? v % each == 0 : v == prev + 1, "per-input order at " + v);
        }
        pause(100);
        assertNull(out.poll(), "nothing extra");
        assertEquals(Map.of(), m.state(), "closed inputs leave the mix");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void manyRoundsOfAMediumMix(ProcessMode mode) {
        useProcessMode(mode);
        for (int round = 0; round < 10; round++) {
            Chan<Integer> out = chan(round);
            Mix<Integer> m = mix(out);
            for (int k = 0; k < 64; k++) {
                Chan<Integer> in = toChan(range(100).stream().map(i -> i * 1000).toList());
                int off = k;
                Chan<Integer> shifted = chan(3);
                pipe(in, shifted);
                Chan<Integer> plus = Csp.map((List<Integer> xs) -> xs.get(0) + off, List.of(shifted));
                m.admix(plus);
            }
            List<Integer> got = take(out, 6400);
            Set<Integer> expected = new HashSet<>();
            for (int k = 0; k < 64; k++) for (int i = 0; i < 100; i++) expected.add(i * 1000 + k);
            assertEquals(expected, new HashSet<>(got));
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void muteReadsAndDropsPauseDoesNotRead(ProcessMode mode) {
        useProcessMode(mode);
        Chan<String> out = chan(100);
        Mix<String> m = mix(out);
        Chan<String> muted = chan(10), paused = chan(10), live = chan(10);
        m.toggle(muted, Map.of(Mix.Flag.MUTE, true));
        m.toggle(paused, Map.of(Mix.Flag.PAUSE, true));
        m.admix(live);
        for (int i = 0; i < 3; i++) {
            muted.put("m" + i);
            paused.put("p" + i);
            live.put("l" + i);
        }
        assertEquals(List.of("l0", "l1", "l2"), take(out, 3));
        pause(100);
        assertNull(out.poll());
        assertNull(muted.poll(), "muted values were read (and dropped)");
        assertEquals("p0", paused.poll(), "paused values stay in the input");
        toggle(m, paused, Map.of(Mix.Flag.PAUSE, false));
        assertEquals(List.of("p1", "p2"), take(out, 2));
        assertEquals(Set.of(), m.state().get(paused));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void soloInMuteModeDropsTheOthers(ProcessMode mode) {
        useProcessMode(mode);
        Chan<String> out = chan(100);
        Mix<String> m = mix(out);
        Chan<String> solo = chan(10), other = chan(10);
        m.admix(other);
        m.toggle(solo, Map.of(Mix.Flag.SOLO, true));
        for (int i = 0; i < 3; i++) {
            other.put("o" + i);
            solo.put("s" + i);
        }
        assertEquals(List.of("s0", "s1", "s2"), take(out, 3));
        pause(100);
        assertNull(out.poll());
        assertNull(other.poll(), "non-soloed inputs are read and dropped in MUTE solo mode");
        m.toggle(solo, Map.of(Mix.Flag.SOLO, false));
        other.put("o3");
        assertEquals("o3", out.take());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void soloInPauseModeLeavesTheOthersUnread(ProcessMode mode) {
        useProcessMode(mode);
        Chan<String> out = chan(100);
        Mix<String> m = mix(out);
        soloMode(m, Mix.Flag.PAUSE);
        Chan<String> solo = chan(10), other = chan(10);
        m.admix(other);
        m.toggle(solo, Map.of(Mix.Flag.SOLO, true));
        for (int i = 0; i < 3; i++) {
            other.put("o" + i);
            solo.put("s" + i);
        }
        assertEquals(List.of("s0", "s1", "s2"), take(out, 3));
        pause(100);
        assertNull(out.poll());
        m.toggle(solo, Map.of(Mix.Flag.SOLO, false));
        assertEquals(List.of("o0", "o1", "o2"), take(out, 3), "nothing of the paused input was lost");
        assertThrows(IllegalArgumentException.class, () -> m.soloMode(Mix.Flag.SOLO));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void unmixLeavesTheChannelAlone(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> out = chan(100);
        Mix<Integer> m = mix(out);
        Chan<Integer> a = chan(10), b = chan(10);
        m.admix(a);
        m.admix(b);
        a.put(1);
        assertEquals(1, out.take());
        unmix(m, a);
        pause(50);
        a.put(2);
        b.put(3);
        assertEquals(3, out.take());
        pause(50);
        assertEquals(2, a.poll(), "no pending take left behind on an unmixed channel");
        unmixAll(m);
        pause(50);
        b.put(4);
        pause(50);
        assertEquals(4, b.poll());
        assertEquals(Map.of(), m.state());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void closingTheOutputStopsTheMix(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> out = chan();
        Mix<Integer> m = mix(out);
        Chan<Integer> a = chan(100);
        m.admix(a);
        a.put(1);
        assertEquals(1, out.take());
        out.close();
        a.put(2); // read, then its put fails: the mix stops (the value in hand is dropped, as in core.async)
        pause(100);
        a.put(3);
        pause(100);
        assertEquals(3, a.poll(), "the stopped mix reads nothing more");
        assertEquals(Map.of(), m.state());
    }
}
