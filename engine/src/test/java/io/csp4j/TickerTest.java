package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class TickerTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void ticksComeEveryPeriodInOrder(ProcessMode mode) {
        useProcessMode(mode);
        long t0 = System.nanoTime();
        Chan<Instant> t = ticker(Duration.ofMillis(20));
        Instant prev = Instant.MIN;
        for (int i = 0; i < 10; i++) {
            Instant tick = t.take();
            assertNotNull(tick);
            assertTrue(tick.isAfter(prev));
            prev = tick;
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsedMs >= 190, "10 ticks of 20 ms took " + elapsedMs + " ms");
        t.close();
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aSlowReaderFindsOnlyTheNewestTick(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Instant> t = ticker(10);
        pause(200);
        Instant before = Instant.now();
        Instant newest = t.poll();
        assertNotNull(newest);
        // 20 periods went by; a sliding buffer of 1 holds only the newest tick. One more may land
        // between the two polls (the window is microseconds, the period 10 ms), never more.
        Instant again = t.poll();
        if (again != null) {
            assertTrue(again.isAfter(newest), "a later tick, not an old one");
            assertNull(t.poll(), "ticks do not pile up");
        }
        assertTrue(Duration.between(newest, before).toMillis() < 100, "the buffered tick is a recent one");
        t.close();
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void closingStopsTheTicker(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Instant> t = ticker(10);
        assertNotNull(t.take());
        t.close();
        pause(60);
        t.poll(); // at most the one buffered tick
        assertNull(t.poll());
        assertNull(t.take(), "closed and drained");
        assertFalse(t.put(Instant.now()));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void badPeriodsAreRejected(ProcessMode mode) {
        useProcessMode(mode);
        assertThrows(IllegalArgumentException.class, () -> ticker(0));
        assertThrows(IllegalArgumentException.class, () -> ticker(Duration.ofMillis(-5)));
        assertThrows(NullPointerException.class, () -> ticker(null));
    }
}
