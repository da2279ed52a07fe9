package io.csp4j.tck;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.altsWithin;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.sleep;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The heap measurement of issue 18 ("timeouts nobody can observe must cost nothing"), shared by the
 * backends' {@code TimeoutLeakTest}s: {@code alts(d, timeout(60_000))} in a loop, with {@code d}
 * ready at once, loses every timeout, and the heap after GC must not grow by more than
 * {@link #TOLERANCE_BYTES}; the same for {@code altsWithin(60 s, c)} won by a take every time.
 *
 * <p>Runs on whatever dispatcher and process mode are bound ({@link Csp#useDispatcher},
 * {@link Csp#useProcessMode}); {@link #iterations()} is 200,000 by default (CI) and 1,000,000 with
 * {@code -Dcsp4j.stress=long} ({@link Scale}). Each method blocks its caller, which must not be a
 * dispatcher thread, and throws {@link AssertionError} (a JUnit failure) if the heap grew too much
 * or a value was lost. Not thread-safe: one measurement at a time per JVM (the heap is global).
 *
 * {@snippet :
 * Csp.useDispatcher(myDispatcher);
 * Csp.useProcessMode(ProcessMode.LOOP);
 * TimeoutLeaks.assertLostTimeoutsCostNothing("mybackend"); // prints "leak: 200000 lost timeouts ..."
 * }
 */
public final class TimeoutLeaks {

    /** The growth allowed after {@link #iterations()} lost timeouts: issue 18's 16 MB. */
    public static final long TOLERANCE_BYTES = 16L * 1_048_576;

    /** How long the heap may take to fall below the limit after the loop (collections go on meanwhile). */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private TimeoutLeaks() {}

    /** {@return 200,000, or 1,000,000 with {@code -Dcsp4j.stress=long}} */
    public static int iterations() {
        return Scale.of(200_000, 1_000_000);
    }

    /**
     * Issue 18's loop, {@link #iterations()} times after a warm-up: prints the heap before and after
     * and fails if it grew by {@link #TOLERANCE_BYTES} or more.
     *
     * @param label the backend's name, for the printed line and the failure
     * @return the growth in bytes (negative if the heap shrank)
     * @throws AssertionError if a take lost its value or the heap grew too much
     * @throws Exception if the loop failed or took more than 300 s
     */
    public static long assertLostTimeoutsCostNothing(String label) throws Exception {
        int n = iterations();
        lostTimeouts(2_000);
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        assertEquals((long) n * (n - 1) / 2, lostTimeouts(n), "every take won, with its own value");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long first = usedHeapAfterGc();
        long after = usedHeapBelow(before + TOLERANCE_BYTES, PATIENCE);
        System.out.printf("leak: %d lost timeouts (%s, %s) in %d ms, heap %s -> %s (first reading %s)%n", n, label,
                Csp.processMode(), ms, mb(before), mb(after), mb(first));
        assertTrue(after - before < TOLERANCE_BYTES, () -> label + ": " + n + " lost timeouts grew the heap from "
                + mb(before) + " to " + mb(after));
        return after - before;
    }

    /**
     * {@code altsWithin(60 s, c)} won by a take, {@code iterations() / 2} times: its timer is
     * cancelled every time, so the heap does not grow.
     *
     * @param label the backend's name, for the printed line and the failure
     * @return the growth in bytes (negative if the heap shrank)
     * @throws AssertionError if a take lost its value, a deadline passed, or the heap grew too much
     * @throws Exception if the loop failed or took more than 300 s
     */
    public static long assertAltsWithinLeavesNoTimerBehind(String label) throws Exception {
        int n = iterations() / 2;
        long before = usedHeapAfterGc();
        Chan<Integer> c = chan();
        go(() -> {
            for (int i = 0; i < n; i++) {
                c.put(i);
            }
        });
        long sum = goFuture(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                AltResult r = altsWithin(Duration.ofSeconds(60), c);
                if (r.isTimedOut()) {
                    throw new AssertionError("a 60 s deadline passed");
                }
                s += (Integer) r.value();
            }
            return s;
        }).get(300, TimeUnit.SECONDS);
        assertEquals((long) n * (n - 1) / 2, sum, "every take won, with its own value");
        long after = usedHeapBelow(before + TOLERANCE_BYTES, PATIENCE);
        System.out.printf("leak: %d altsWithin won by a take (%s, %s), heap %s -> %s%n", n, label, Csp.processMode(),
                mb(before), mb(after));
        assertTrue(after - before < TOLERANCE_BYTES, () -> label + ": " + n + " altsWithin grew the heap from "
                + mb(before) + " to " + mb(after));
        return after - before;
    }

    /**
     * The loop of the issue in a go block: every take wins at once and nothing refers to the
     * timeout any more. The go block never parks in {@code alts}, so it yields every 1,000
     * iterations to leave its lane to others (a go block that never parks holds an event loop, as in
     * core.async).
     *
     * @param n the iterations
     * @return the sum of the values taken, {@code n * (n - 1) / 2}
     * @throws Exception if the go block failed or took more than 300 s
     */
    public static long lostTimeouts(int n) throws Exception {
        return goFuture(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                Chan<Integer> d = chan(1);
                d.put(i);
                s += (Integer) alts(d, timeout(60_000)).value();
                if (i % 1_000 == 999) {
                    sleep(Duration.ZERO);
                }
            }
            return s;
        }).get(300, TimeUnit.SECONDS);
    }

    /**
     * Used heap after full collections, read again every half second until it is below
     * {@code limit} or {@code patience} has passed (entries of collected timeouts are removed just
     * after the collection that finds them).
     *
     * @return the last reading, in bytes
     * @throws InterruptedException if interrupted while waiting
     */
    public static long usedHeapBelow(long limit, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (;;) {
            long now = usedHeapAfterGc();
            if (now < limit || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(500);
        }
    }

    /**
     * The least used heap seen over three full collections ({@code System.gc()}).
     *
     * @return bytes
     * @throws InterruptedException if interrupted between collections
     */
    public static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1_048_576.0);
    }
}
