package io.csp4j.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.Buffers;
import io.csp4j.Channel;
import io.csp4j.Csp;
import io.csp4j.Xform;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChannelLock}, the lock of every channel: mutual exclusion and progress under contention
 * (platform and virtual threads, critical sections from nothing to a millisecond, so that waiters
 * both spin and park), {@code tryLock}, the holder check, and an interrupt that comes while a thread
 * waits. The channel-level proofs are the Lincheck test and the TCK; this checks the lock alone.
 */
class ChannelLockTest {

    /** A lock and what it guards: a plain counter and an occupancy flag. */
    static final class Guarded extends ChannelLock {
        int count; // plain: only the holder touches it
        final AtomicInteger inside = new AtomicInteger();
    }

    @RepeatedTest(5)
    void noTwoHoldersAndNoLostIncrementUnderContention() throws Exception {
        Guarded g = new Guarded();
        int platform = 3;
        int virtual = 5;
        int each = 20_000;
        AtomicInteger overlaps = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < platform + virtual; t++) {
            Runnable body = () -> {
                try {
                    start.await();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < each; i++) {
                        g.lock();
                        try {
                            if (g.inside.getAndIncrement() != 0) {
                                overlaps.incrementAndGet();
                            }
                            assertTrue(g.isHeldByCurrentThread());
                            g.count++;
                            int r = rnd.nextInt(2_000);
                            if (r == 0) {
                                Thread.sleep(1); // a long holder: waiters give up spinning and park
                            } else if (r < 20) {
                                LockSupport.parkNanos(20_000);
                            } else if (r < 200) {
                                for (int s = rnd.nextInt(200); s > 0; s--) {
                                    Thread.onSpinWait();
                                }
                            }
                            g.inside.decrementAndGet();
                        } finally {
                            g.unlock();
                        }
                        assertFalse(g.isHeldByCurrentThread());
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            };
            threads.add(t < platform ? Thread.ofPlatform().start(body) : Thread.ofVirtual().start(body));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "a thread never got the lock: " + t);
        }
        assertNull(failure.get());
        assertEquals(0, overlaps.get(), "two threads held the lock at once");
        assertEquals((platform + virtual) * each, g.count, "an increment under the lock was lost");
        assertTrue(g.tryLock(), "the lock is free at the end");
    }

    @Test
    void tryLockNeverWaitsAndFailsWhileAnotherThreadHoldsIt() throws Exception {
        Guarded g = new Guarded();
        assertTrue(g.tryLock());
        assertTrue(g.isHeldByCurrentThread());
        AtomicBoolean otherGot = new AtomicBoolean(true);
        AtomicBoolean otherHeld = new AtomicBoolean(true);
        Thread other = Thread.ofPlatform().start(() -> {
            otherGot.set(g.tryLock());
            otherHeld.set(g.isHeldByCurrentThread());
        });
        other.join(10_000);
        assertFalse(otherGot.get(), "tryLock succeeded on a held lock");
        assertFalse(otherHeld.get());
        g.unlock();
        assertFalse(g.isHeldByCurrentThread());
        Thread again = Thread.ofPlatform().start(() -> otherGot.set(g.tryLock()));
        again.join(10_000);
        assertTrue(otherGot.get(), "tryLock failed on a free lock");
    }

    @Test
    void anInterruptWhileWaitingIsKeptAndTheWaiterStillGetsTheLock() throws Exception {
        Guarded g = new Guarded();
        g.lock();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicBoolean held = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            g.lock(); // not interruptible: it waits on until the lock is free
            held.set(g.isHeldByCurrentThread());
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            g.unlock();
        });
        waiting.await();
        Thread.sleep(50); // past the spinning: parked
        waiter.interrupt();
        Thread.sleep(50);
        assertTrue(waiter.isAlive(), "lock() returned while another thread held the lock");
        assertFalse(held.get());
        g.unlock();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertTrue(held.get(), "the waiter did not get the lock");
        assertTrue(interruptedAfter.get(), "the interrupt that came while waiting was lost");
        assertTrue(g.tryLock(), "the waiter released the lock");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theHolderLockingAgainFailsClearlyInsteadOfWaitingForItself() {
        Guarded g = new Guarded();
        g.lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::lock);
        assertTrue(e.getMessage().contains("its own channel"), e.getMessage());
        assertTrue(g.isHeldByCurrentThread(), "the failed attempt left the lock with its holder");
        g.unlock();
        assertTrue(g.tryLock());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lock that waits for itself never returns
    void aTransformationThatPutsOnItsOwnChannelGetsAClearErrorAndTheChannelStaysUsable() {
        AtomicReference<Channel<Integer, Integer>> self = new AtomicReference<>();
        AtomicBoolean reenter = new AtomicBoolean(true);
        AtomicReference<Throwable> handled = new AtomicReference<>();
        self.set(Csp.chan(Buffers.fixed(4), Xform.map((Integer v) -> {
            if (reenter.getAndSet(false)) {
                self.get().offer(v + 100); // the channel's own lock is held here
            }
            return v;
        }), t -> {
            handled.set(t);
            return -1; // the ex-handler's value goes in instead (core.async)
        }));
        assertTrue(self.get().offer(1), "the offer returned instead of waiting for its own lock");
        assertInstanceOf(IllegalStateException.class, handled.get());
        assertTrue(handled.get().getMessage().contains("own xform"), handled.get().getMessage());
        assertTrue(self.get().offer(5), "the lock was released after the failure");
        assertEquals(-1, self.get().poll());
        assertEquals(5, self.get().poll());
        assertNull(self.get().poll(), "the re-entrant offer added nothing");
    }
}
