package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.internal.Timers;
import io.csp4j.spi.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The engine's queue of timeouts ({@code Timers.TimeoutQueue}): one dispatcher timer for the
 * earliest deadline of many timeouts. Deadlines in any order, from several threads at once, each
 * close no earlier than their delay and all close; an alarm the backend dropped is armed again; a
 * closed dispatcher refuses a timeout that needs a timer.
 */
class TimeoutQueueTest extends EngineTestSupport {

    /** 4 threads x 1,000 timeouts of random delays (0-150 ms, some equal): none early, none lost. */
    @RepeatedTest(5)
    void timeoutsInAnyOrderFromManyThreadsCloseOnTimeAndAllClose() throws Exception {
        try (TimerCountingDispatcher d = new TimerCountingDispatcher()) { // a queue of its own
            timeoutsInAnyOrder(d);
        }
    }

    private static void timeoutsInAnyOrder(TimerCountingDispatcher d) throws Exception {
        int threads = 4;
        int per = 1_000;
        CountDownLatch closed = new CountDownLatch(threads * per);
        ConcurrentLinkedQueue<String> early = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            long seed = System.nanoTime() + k;
            ts.add(Thread.ofPlatform().start(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < per; i++) {
                    long ms = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(150);
                    long t0 = System.nanoTime();
                    Csp.<Object>timeout(ms).takeAsync(v -> {
                        long waited = System.nanoTime() - t0;
                        if (v != null || waited < TimeUnit.MILLISECONDS.toNanos(ms)) {
                            early.add(ms + " ms closed after " + waited / 1e6 + " ms (value " + v + ")");
                        }
                        closed.countDown();
                    });
                    if (i % 100 == 99) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(closed.await(20, TimeUnit.SECONDS), closed.getCount() + " timeouts never closed");
        assertEquals(List.of(), List.copyOf(early), "closed early");
        eventually(10, () -> Timers.pendingTimeouts() == 0 && d.armed.get() == 0);
        assertTrue(d.scheduled.get() < threads * per, d.scheduled.get() + " dispatcher timers for " + threads * per
                + " timeouts");
    }

    /** The same shape with parked processes in both modes: the takers wake on their lanes, in deadline order per process. */
    @Test
    void parkedProcessesWakeOnTimeInBothModes() throws Exception {
        for (ProcessMode m : ProcessMode.values()) {
            mode(m);
            int n = 2_000;
            AtomicInteger early = new AtomicInteger();
            CountDownLatch woken = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                long ms = (i * 37L) % 120;
                go(() -> {
                    long t0 = System.nanoTime();
                    timeout(ms).take();
                    if (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(ms)) {
                        early.incrementAndGet();
                    }
                    woken.countDown();
                });
            }
            assertTrue(woken.await(20, TimeUnit.SECONDS), m + ": " + woken.getCount() + " processes never woke");
            assertEquals(0, early.get(), m + ": woken early");
        }
    }

    /**
     * A backend that drops a timer on its own (Vert.x cancels the timers of an undeployed verticle's
     * context, and the one alarm may have been armed there): the reaper arms a new alarm once the
     * dropped one is more than a second overdue, and the timeouts it served still close.
     */
    @Test
    void anAlarmTheBackendDroppedIsArmedAgain() throws Exception {
        try (DroppingDispatcher d = new DroppingDispatcher()) {
            long t0 = System.nanoTime();
            Chan<Object> t = timeout(50); // its alarm is dropped
            assertEquals(1, d.dropped.get());
            assertTrue(t.takeWithin(Duration.ofSeconds(10)).isClosed(), "the timeout never closed");
            assertTrue(t.isClosed());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 50, "closed after " + ms + " ms");
        }
    }

    @Test
    void aClosedDispatcherRefusesATimeoutThatNeedsATimer() {
        ForkJoinDispatcher d = new ForkJoinDispatcher();
        useDispatcher(d);
        try {
            d.close();
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> timeout(100));
            assertNotNull(e.getMessage());
        } finally {
            useDispatcher(null);
        }
    }

    @Test
    void absurdDelaysAreAcceptedAndNeverClose() throws Exception {
        Chan<Object> a = timeout(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
        Chan<Object> b = timeout(Long.MAX_VALUE);
        Chan<Object> soon = timeout(Duration.ofSeconds(Long.MIN_VALUE));
        assertTrue(soon.takeWithin(Duration.ofSeconds(10)).isClosed());
        assertTrue(soon.isClosed());
        Thread.sleep(50);
        assertFalse(a.isClosed());
        assertFalse(b.isClosed());
    }

    /** ForkJoin, except that its first timer is dropped: accepted, never run, as if the backend had cancelled it. */
    private static final class DroppingDispatcher extends BoundForkJoinDispatcher {

        final AtomicInteger dropped = new AtomicInteger();

        @Override
        public String name() {
            return "dropping-forkjoin";
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            if (dropped.compareAndSet(0, 1)) {
                return () -> true;
            }
            return inner.schedule(delay, task);
        }
    }
}
