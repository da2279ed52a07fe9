package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.internal.ManyToManyChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code altsWithin(d, ...)}: an alts that waits at most {@code d} without a timeout channel
 * (kotlinx's {@code onTimeout}). Its timer is armed only when nothing is ready at once and is
 * cancelled as soon as an operation wins; on timeout nothing is taken or put and no handler stays.
 */
class AltsWithinTest extends EngineTestSupport {

    private static int pendingTakes(Chan<?> c) {
        return ((ManyToManyChannel<?>) c).pendingTakes();
    }

    private static int pendingPuts(Chan<?> c) {
        return ((ManyToManyChannel<?>) c).pendingPuts();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void timesOutAfterTheDurationNeverEarlyAndLeavesNothingBehind(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Integer> a = chan();
        Chan<Integer> b = chan(2);
        List<CompletableFuture<Long>> waits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long ms = 20 + i % 10;
            waits.add(goFuture(() -> {
                long t0 = System.nanoTime();
                AltResult r = altsWithin(Duration.ofMillis(ms), a, b);
                assertTrue(r.isTimedOut(), () -> "not a timeout: " + r);
                assertSame(TIMED_OUT, r.channel());
                assertNull(r.value());
                assertFalse(r.isDefault());
                return System.nanoTime() - t0 - TimeUnit.MILLISECONDS.toNanos(ms);
            }));
        }
        for (CompletableFuture<Long> w : waits) {
            assertTrue(w.get(10, TimeUnit.SECONDS) >= 0, "timed out early");
        }
        assertEquals(0, pendingTakes(a));
        assertEquals(0, pendingTakes(b));
        assertTrue(b.offer(1) && a.poll() == null && b.poll() == 1, "both channels still work, nothing was taken");
    }

    @Test
    void aReadyOperationWinsAtOnceWithoutArmingATimer() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            Chan<String> ready = chan(1);
            ready.put("now");
            AltResult r = altsWithin(Duration.ofSeconds(60), chan(), ready);
            assertEquals("now", r.value());
            assertTrue(r.from(ready));
            assertEquals(0, d.scheduled.get(), "a timer was armed though an operation was ready");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void anOperationThatBecomesReadyWinsAndCancelsTheTimer(ProcessMode mode) throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            mode(mode);
            Chan<Integer> late = chan();
            Chan<Integer> never = chan();
            CompletableFuture<AltResult> f = goFuture(() -> altsWithin(Duration.ofSeconds(60), never, late));
            eventually(10, () -> pendingTakes(late) == 1 && d.armed.get() == 1);
            late.put(7);
            AltResult r = f.get(10, TimeUnit.SECONDS);
            assertEquals(7, r.value());
            assertTrue(r.from(late));
            assertEquals(1, d.scheduled.get());
            assertEquals(1, d.cancelled.get(), "the deadline was not cancelled when the take won");
            assertEquals(0, d.armed.get());
            assertEquals(0, pendingTakes(never), "the losing handler stayed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aPutThatTimesOutPutsNothing(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Integer> full = chan(1);
        full.put(1);
        AltResult r = goFuture(() -> altsWithin(Duration.ofMillis(30), putOp(full, 2))).get(10, TimeUnit.SECONDS);
        assertTrue(r.isTimedOut());
        assertEquals(0, pendingPuts(full));
        assertEquals(1, full.poll());
        assertNull(full.poll(), "the timed-out put was delivered");
    }

    @Test
    void zeroOrNegativeGivesTheOperationsOneChanceAndNeverParks() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            Chan<Integer> empty = chan();
            AltResult r = altsWithin(Duration.ZERO, empty);
            assertTrue(r.isTimedOut());
            assertNull(r.value());
            assertTrue(altsWithin(Duration.ofMillis(-5), takeOp(empty)).isTimedOut());
            Chan<Integer> ready = chan(1);
            ready.put(3);
            AltResult v = altsWithin(Duration.ZERO, empty, ready);
            assertEquals(3, v.value());
            assertEquals(0, pendingTakes(empty));
            assertEquals(0, d.scheduled.get());
        }
    }

    @Test
    void onlyNullChannelsIsASleep() {
        long t0 = System.nanoTime();
        AltResult r = altsWithin(Duration.ofMillis(30), (ReadPort<?>) null);
        assertTrue(r.isTimedOut());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void anInterruptedBlockedThreadWithdrawsAndCancelsTheTimer() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            Chan<Integer> never = chan();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    altsWithin(Duration.ofSeconds(60), never);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            eventually(10, () -> pendingTakes(never) == 1 && d.armed.get() == 1);
            t.interrupt();
            t.join(10_000);
            assertInstanceOf(CspInterruptedException.class, thrown.get());
            assertEquals(0, pendingTakes(never));
            assertEquals(0, d.armed.get());
            assertEquals(1, d.cancelled.get());
            assertTrue(never.offer(1) == false, "no taker is left on never");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aProcessParkedInAltsWithinOnUnreachableChannelsIsWoken(ProcessMode mode) throws Exception {
        mode(mode);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fs.add(goFuture(() -> altsWithin(Duration.ofMillis(150), chan(), chan(1)).isTimedOut()));
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) {
            System.gc();
            Thread.sleep(10);
        }
        for (CompletableFuture<Boolean> f : fs) {
            assertTrue(f.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * Deadlines racing with puts: producers put every value once (parking until taken); the
     * consumer takes with a deadline of 0-2 ms, so many alts time out while a put is on its way.
     * Every value arrives exactly once, in order per producer: a timeout never loses or repeats one.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void deadlinesRacingWithPutsLoseAndDuplicateNothing(ProcessMode mode) throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            mode(mode);
            int producers = 3;
            int each = 2_000 * SCALE;
            List<Chan<Integer>> chans = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Chan<Integer> c = p == 0 ? chan() : chan(p);
                chans.add(c);
                int base = p * each;
                go(() -> {
                    for (int i = 0; i < each; i++) {
                        c.put(base + i);
                        if (i % 97 == 0) {
                            sleep(1);
                        }
                    }
                });
            }
            CompletableFuture<int[]> consumer = goFuture(() -> {
                int[] next = new int[producers];
                int got = 0;
                int timeouts = 0;
                for (int k = 0; got < producers * each; k++) {
                    AltResult r = altsWithin(Duration.ofMillis(k % 3), takeOp(chans.get(0)), takeOp(chans.get(1)),
                            takeOp(chans.get(2)));
                    if (r.isTimedOut()) {
                        timeouts++;
                        continue;
                    }
                    int v = (Integer) r.value();
                    int p = v / each;
                    assertSame(chans.get(p), r.channel());
                    assertEquals(p * each + next[p], v, "out of order or repeated");
                    next[p]++;
                    got++;
                }
                return new int[] {got, timeouts};
            });
            int[] res = consumer.get(60, TimeUnit.SECONDS);
            assertEquals(producers * each, res[0]);
            try {
                eventually(10, () -> d.armed.get() == 0);
            } catch (AssertionError e) {
                throw new AssertionError(d.armed.get() + " timers still armed of " + d.scheduled.get() + " ("
                        + d.cancelled.get() + " cancelled, " + res[1] + " timeouts)", e);
            }
            for (Chan<Integer> c : chans) {
                assertEquals(0, pendingTakes(c));
                assertNull(c.poll());
            }
            System.out.printf("altsWithin race (%s): %d values, %d timeouts, %d timers armed, %d cancelled%n",
                    mode, res[0], res[1], d.scheduled.get(), d.cancelled.get());
        }
    }

    @Test
    void aNullDurationIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> altsWithin(null, chan()));
        assertEquals("duration", e.getMessage());
    }
}
