package io.csp4j.netty;

import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.sleep;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code timeout(d)} and {@code sleep(d)} on real NIO event loops fire within the executor's timer
 * precision: never early, and late by less than 50 ms on average over a few hundred timers measured
 * from inside concurrently running go blocks.
 */
class TimeoutPrecisionTest {

    private static final int PROCESSES = 8;
    private static final int TIMERS_EACH = Stress.scale(30);
    private static final long MAX_MEAN_LATENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void timeoutsAreNeverEarlyAndLateByLessThan50msOnAverage(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(2, mode)) {
            List<CompletableFuture<long[]>> lateness = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                int seed = p;
                lateness.add(goFuture(() -> {
                    long[] late = new long[TIMERS_EACH];
                    for (int j = 0; j < TIMERS_EACH; j++) {
                        long delayMs = 1 + (seed * 7L + j * 13L) % 20; // 1..20 ms
                        long t0 = System.nanoTime();
                        Object v = j % 2 == 0 ? timeout(delayMs).take() : sleepThenNull(delayMs);
                        late[j] = System.nanoTime() - t0 - TimeUnit.MILLISECONDS.toNanos(delayMs);
                        assertNull(v);
                    }
                    return late;
                }));
            }
            long sum = 0, max = Long.MIN_VALUE, min = Long.MAX_VALUE;
            int n = 0;
            for (CompletableFuture<long[]> f : lateness) {
                for (long l : f.get(60, TimeUnit.SECONDS)) {
                    sum += l;
                    max = Math.max(max, l);
                    min = Math.min(min, l);
                    n++;
                }
            }
            assertEquals(PROCESSES * TIMERS_EACH, n);
            long mean = sum / n;
            System.out.printf("netty timeout lateness (%s): n=%d min=%.3f ms mean=%.3f ms max=%.3f ms%n", mode, n,
                    min / 1e6, mean / 1e6, max / 1e6);
            assertTrue(min >= 0, "a timer fired early, by " + (-min) + " ns");
            assertTrue(mean < MAX_MEAN_LATENESS_NANOS, "mean lateness " + mean / 1e6 + " ms");
        }
    }

    private static Object sleepThenNull(long ms) {
        sleep(ms);
        return null;
    }
}
