package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** takeWithin(Duration): a value, closed, or timed out, never confused; nothing lost when it times out. */
class TimedTakeTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theThreeOutcomesInAProcessAndOnAThread(ProcessMode mode) {
        mode(mode);
        Chan<String> c = chan(1);
        c.put("v");
        assertEquals(new TakeResult.Value<>("v"), c.takeWithin(Duration.ofSeconds(5)));
        long t0 = System.nanoTime();
        TakeResult<String> late = c.takeWithin(Duration.ofMillis(50));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(late.isTimedOut(), late.toString());
        assertTrue(waited >= 50, "waited " + waited + " ms, never less than the limit");
        c.close();
        assertTrue(c.takeWithin(Duration.ofSeconds(5)).isClosed());
        // In a process: parks.
        Chan<String> d = chan();
        Chan<String> outcome = go(() -> {
            String a = switch (d.takeWithin(Duration.ofMillis(20))) {
                case TakeResult.Value<String>(String v) -> "value " + v;
                case TakeResult.Closed<String> x -> "closed";
                case TakeResult.TimedOut<String> x -> "timed out";
            };
            String b = d.takeWithin(Duration.ofSeconds(5)).orElse("none");
            String e = d.takeWithin(Duration.ofSeconds(5)).isClosed() ? "closed" : "open";
            return a + ", " + b + ", " + e;
        });
        sleep(250); // well past the 20 ms limit (and the process's start), even on a loaded machine
        d.put("w");
        d.close();
        assertEquals("timed out, w, closed", within(10, outcome::take));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aTimedOutTakeTakesNothingSoNoValueIsLost(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan();
        int n = 300 * SCALE;
        go(() -> {
            for (int i = 0; i < n; i++) {
                if (ThreadLocalRandom.current().nextInt(4) == 0) sleep(1);
                c.put(i);
            }
            c.close();
        });
        Chan<List<Integer>> got = go(() -> {
            List<Integer> seen = new ArrayList<>();
            int timeouts = 0;
            while (true) {
                TakeResult<Integer> r = c.takeWithin(Duration.ofNanos(ThreadLocalRandom.current().nextInt(2_000_000)));
                if (r.isClosed()) break;
                if (r.isTimedOut()) timeouts++;
                else seen.add(r.value());
            }
            return seen;
        });
        List<Integer> seen = within(30, got::take);
        assertEquals(ChannelIterationTest.range(n), seen, "every value once, in order, despite the timeouts");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aReadyValueWinsOverAZeroLimit(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan(10);
        for (int i = 0; i < 10; i++) c.put(i);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) seen.add(c.takeWithin(Duration.ZERO).value());
        assertEquals(10, seen.size());
        assertTrue(c.takeWithin(Duration.ZERO).isTimedOut());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void badInputAndMisuseSayWhatHappened(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan();
        assertThrows(NullPointerException.class, () -> c.takeWithin(null));
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> c.takeWithin(Duration.ofMillis(-1)));
        assertEquals("takeWithin(PT-0.001S): the time limit must not be negative", neg.getMessage());
        TakeResult<Integer> timedOut = c.takeWithin(Duration.ZERO);
        assertEquals("No value: the time limit passed first (check isTimedOut() first, or use orElse)",
                assertThrows(NoSuchElementException.class, timedOut::value).getMessage());
        assertEquals(Optional.empty(), timedOut.toOptional());
        c.close();
        TakeResult<Integer> closed = c.takeWithin(Duration.ZERO);
        assertEquals("No value: the channel was closed and drained (check isClosed() first, or use orElse)",
                assertThrows(NoSuchElementException.class, closed::value).getMessage());
        assertEquals(-1, closed.orElse(-1));
        assertEquals(Optional.of(7), new TakeResult.Value<>(7).toOptional());
        assertThrows(NullPointerException.class, () -> new TakeResult.Value<>(null));
    }
}
