package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** timeout(d): a fresh channel per call, closed after d, never early; zero works. */
class TimeoutTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void closesAfterTheDurationNeverEarly(ProcessMode mode) {
        mode(mode);
        List<Chan<Long>> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long ms = 5 + i % 20;
            waits.add(go(() -> {
                long t0 = System.nanoTime();
                Object v = timeout(ms).take();
                return v == null ? System.nanoTime() - t0 - TimeUnit.MILLISECONDS.toNanos(ms) : Long.MIN_VALUE;
            }));
        }
        within(10, () -> {
            for (Chan<Long> w : waits) assertTrue(w.take() >= 0, "fired early or delivered a value");
            return null;
        });
    }

    @Test
    void everyCallGivesAFreshChannel() {
        Chan<Object> a = timeout(50);
        Chan<Object> b = timeout(50);
        assertNotSame(a, b);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void zeroAndNegativeDurationsFire(ProcessMode mode) {
        mode(mode);
        assertNull(within(5, () -> go(() -> timeout(Duration.ZERO).take()).take()));
        assertNull(within(5, () -> timeout(Duration.ofMillis(-10)).take()));
        assertTrue(within(5, () -> {
            Chan<Object> t = timeout(0);
            while (!t.isClosed()) Thread.onSpinWait();
            return true;
        }));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void tenThousandConcurrentTimeoutsAllFire(ProcessMode mode) {
        mode(mode);
        int n = 10_000;
        Chan<Integer> done = chan(Buffers.unbounded());
        for (int i = 0; i < n; i++) {
            int k = i;
            go(() -> {
                timeout(1 + k % 50).take();
                done.put(k);
            });
        }
        boolean[] seen = new boolean[n];
        within(30, () -> {
            for (int i = 0; i < n; i++) seen[done.take()] = true;
            return null;
        });
        for (boolean s : seen) assertTrue(s);
    }

    @Test
    void aTimeoutUsedInAltsWithAValueThatArrivesFirst() {
        Chan<String> fast = chan(1);
        fast.put("value");
        AltResult r = alts(fast, timeout(1_000));
        assertEquals("value", r.value());
    }
}
