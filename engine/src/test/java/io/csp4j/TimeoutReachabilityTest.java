package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.internal.ManyToManyChannel;
import io.csp4j.internal.Timers;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18: a timeout channel nobody can observe costs nothing, and one that somebody can observe
 * closes on time exactly as before. The dispatcher's timer holds the channel weakly, and strongly
 * only while a taker is pending (see {@code Timers}); these tests collect garbage on purpose while
 * processes, callbacks and alts wait on timeouts that only the timer refers to.
 */
class TimeoutReachabilityTest extends EngineTestSupport {

    /** Full collections, spread over {@code ms}, while timers are armed. */
    private static void collectFor(long ms) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            System.gc();
            Thread.sleep(10);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aProcessParkedOnlyOnATimeoutIsWokenOnTimeDespiteCollections(ProcessMode mode) throws Exception {
        mode(mode);
        int n = 200;
        CountDownLatch woken = new CountDownLatch(n);
        long[] early = new long[1];
        for (int i = 0; i < n; i++) {
            long ms = 100 + i % 50;
            go(() -> {
                long t0 = System.nanoTime();
                Object v = timeout(ms).take(); // only the timer (and the cycle through its taker) refers to it
                if (v != null || System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(ms)) {
                    synchronized (early) {
                        early[0]++;
                    }
                }
                woken.countDown();
            });
        }
        collectFor(300);
        assertTrue(woken.await(10, TimeUnit.SECONDS), woken.getCount() + " processes were never woken");
        assertEquals(0, early[0], "woken early or with a value");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aProcessInAltsWhoseOtherChannelsAreUnreachableIsWokenByItsTimeout(ProcessMode mode) throws Exception {
        mode(mode);
        int n = 100;
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(goFuture(() -> {
                Chan<Integer> never = chan();
                Chan<Object> t = timeout(150);
                AltResult r = alts(never, chan(4), t);
                return r.from(t) && r.value() == null;
            }));
        }
        collectFor(300);
        for (CompletableFuture<Boolean> f : results) {
            assertTrue(f.get(10, TimeUnit.SECONDS), "an alts was not won by its timeout");
        }
    }

    @Test
    void aCallbackOnAnUnreferencedTimeoutStillRuns() throws Exception {
        CountDownLatch called = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            Csp.<Object>timeout(100).takeAsync(v -> {
                if (v == null) {
                    called.countDown();
                }
            });
        }
        collectFor(200);
        assertTrue(called.await(10, TimeUnit.SECONDS), called.getCount() + " callbacks never ran");
    }

    @Test
    void aReferencedTimeoutClosesOnTimeAfterCollections() throws Exception {
        long t0 = System.nanoTime();
        Chan<Object> t = timeout(2_000);
        assertFalse(t.isClosed());
        System.gc();
        // (A loaded machine can take long over a collection: only a close before the delay is early.)
        assertTrue(!t.isClosed() || System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(2_000), "closed early");
        eventually(10, t::isClosed);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(2_000), "closed early");
        assertNull(t.poll());
    }

    @Test
    void timeoutsThatLostTheirAltsAreCollectedAndTheirTimersCancelled() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            int n = 10_000;
            WeakReference<Chan<Object>> last = null;
            for (int i = 0; i < n; i++) {
                Chan<Integer> ready = chan(1);
                ready.put(i);
                Chan<Object> t = timeout(60_000);
                AltResult r = alts(ready, t); // the take wins at once; half the time t was registered first
                assertEquals(i, r.value());
                last = new WeakReference<>(t);
            }
            // One dispatcher timer for the earliest deadline, not one per timeout (deadlines only grow here).
            assertEquals(1, d.scheduled.get(), "dispatcher timers for " + n + " timeouts of the same delay");
            WeakReference<Chan<Object>> ref = last;
            eventually(20, () -> {
                System.gc();
                return ref.get() == null && Timers.pendingTimeouts() == 0 && d.armed.get() == 0;
            });
            assertEquals(1, d.cancelled.get(), "the one timer was cancelled once every timeout was collected");
        }
    }

    @Test
    void anEarlierTimeoutArmsAnEarlierTimerAndTheLaterStillCloseInOrder() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            long t0 = System.nanoTime(); // before timeout(): a stall after it must not look like an early close
            Chan<Object> late = timeout(1_000);
            Chan<Object> early = timeout(100);
            assertEquals(2, d.scheduled.get(), "an earlier deadline re-arms");
            assertEquals(1, d.armed.get(), "the later timer was cancelled");
            assertNull(early.take());
            assertFalse(late.isClosed(), "the later timeout closed with the earlier one");
            assertNull(late.take());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(1_000), "the later timeout closed early");
            eventually(10, () -> d.armed.get() == 0);
            assertEquals(0, Timers.pendingTimeouts());
        }
    }

    @Test
    void aTimeoutWhoseBlockedTakerWasInterruptedIsCollected() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<WeakReference<Chan<Object>>> ref = new AtomicReference<>();
            Thread taker = Thread.ofPlatform().start(() -> {
                Chan<Object> t = timeout(60_000);
                ref.set(new WeakReference<>(t));
                try {
                    t.take();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            eventually(10, () -> ref.get() != null
                    && ((ManyToManyChannel<Object>) ref.get().get()).pendingTakes() == 1);
            taker.interrupt();
            taker.join(10_000);
            assertInstanceOf(CspInterruptedException.class, thrown.get());
            eventually(20, () -> {
                System.gc();
                return ref.get().get() == null && d.armed.get() == 0 && Timers.pendingTimeouts() == 0;
            });
            assertEquals(1, d.cancelled.get(), "the timer of the only timeout was cancelled when it was collected");
        }
    }

    @Test
    void aTimeoutStillWaitedOnIsNotCancelled() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) {
            mode(ProcessMode.LOOP);
            CompletableFuture<Object> f = goFuture(() -> timeout(3_000).take()); // long enough for a loaded machine
            eventually(10, () -> d.armed.get() == 1);
            collectFor(200);
            assertEquals(1, d.armed.get(), "the timer of a timeout with a parked taker was cancelled");
            assertNull(f.get(10, TimeUnit.SECONDS));
            assertEquals(0, d.cancelled.get());
        }
    }

    @Test
    void aTimeoutsNameShowsItsDelay() {
        assertEquals("timeout(250ms)[unbuffered]", timeout(250).toString());
    }
}
