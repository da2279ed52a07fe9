package io.csp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Cancellable;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every clause of the Dispatcher contract (the SPI's Javadoc, tck/SPEC.md Part 1), on real Netty
 * executors. Each subclass supplies one kind of group: the dispatcher's own, or an application's
 * event loop group given to {@link NettyDispatcher#over}.
 */
abstract class NettyDispatcherContractTest {

    protected NettyDispatcher d;

    /** A new dispatcher of the kind under test, reporting failures to {@code onError} if not null. */
    abstract NettyDispatcher newDispatcher(Thread.UncaughtExceptionHandler onError);

    /** Releases what {@link #newDispatcher} created besides the dispatcher (an application's group). */
    void release() {}

    @BeforeEach
    void start() {
        d = newDispatcher(null);
    }

    @AfterEach
    void stop() {
        d.close();
        release();
    }

    @Test
    void clause1_executeNeverRunsOnTheCallersStack() throws Exception {
        // From an outside thread, from an executor's own thread, and through a lane.
        ThreadLocal<Boolean> insideExecute = ThreadLocal.withInitial(() -> false);
        AtomicInteger inline = new AtomicInteger();
        int n = Stress.scale(1_000);
        CountDownLatch ran = new CountDownLatch(3 * n);
        for (int i = 0; i < n; i++) {
            insideExecute.set(true);
            d.execute(() -> {
                if (insideExecute.get()) inline.incrementAndGet();
                insideExecute.set(true);
                d.execute(() -> {
                    if (insideExecute.get()) inline.incrementAndGet();
                    ran.countDown();
                });
                d.lane().execute(() -> {
                    if (insideExecute.get()) inline.incrementAndGet();
                    ran.countDown();
                });
                insideExecute.set(false);
                ran.countDown();
            });
            insideExecute.set(false);
        }
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(0, inline.get(), "tasks run inline");
    }

    @Test
    void clause2_everyTaskRunsExactlyOnce() throws Exception {
        int n = 200_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        CountDownLatch all = new CountDownLatch(n);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int from = p * (n / 4);
            boolean viaLane = p % 2 == 1;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = from; i < from + n / 4; i++) {
                    int k = i;
                    Runnable task = () -> { runs.incrementAndGet(k); all.countDown(); };
                    if (viaLane) d.lane().execute(task); else d.execute(task);
                }
            }));
        }
        for (Thread t : producers) t.join();
        assertTrue(all.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
    }

    @Test
    void clause3_writesBeforeExecuteAreVisibleInTheTask() throws Exception {
        for (int i = 0; i < Stress.scale(10_000); i++) {
            int[] plain = new int[1];
            plain[0] = i;
            int expected = i;
            AtomicBoolean ok = new AtomicBoolean();
            CountDownLatch l = new CountDownLatch(1);
            d.execute(() -> { ok.set(plain[0] == expected); l.countDown(); });
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertTrue(ok.get());
        }
    }

    @Test
    void clause4_throwingTaskIsReportedAndLaterTasksRun() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        NettyDispatcher own = newDispatcher((t, e) -> reported.add(e));
        try {
            CountDownLatch later = new CountDownLatch(300);
            for (int i = 0; i < 100; i++) {
                own.execute(() -> { throw new IllegalStateException("boom"); });
                own.execute(later::countDown);
                own.lane().execute(() -> { throw new IllegalStateException("lane boom"); });
                own.lane().execute(later::countDown);
                own.schedule(Duration.ZERO, () -> { throw new IllegalStateException("timer boom"); });
                own.schedule(Duration.ZERO, later::countDown);
            }
            assertTrue(later.await(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reported.size() < 300 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(300, reported.size());
            assertEquals(Set.of("boom", "lane boom", "timer boom"),
                    Set.copyOf(reported.stream().map(Throwable::getMessage).toList()));
        } finally {
            own.close();
        }
    }

    @Test
    void clause4_failingErrorHandlerDoesNotStopLaterTasks() throws Exception {
        NettyDispatcher own = newDispatcher((t, e) -> { throw new IllegalStateException("handler fails too"); });
        try {
            CountDownLatch later = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                own.execute(() -> { throw new IllegalStateException("boom"); });
                own.execute(later::countDown);
            }
            assertTrue(later.await(5, TimeUnit.SECONDS));
        } finally {
            own.close();
        }
    }

    @Test
    void clause5_aProcessResubmittingItselfStaysOnOneThreadOfItsLane() throws Exception {
        // Like a process's park/resume cycles: each step submits the next one to the same lane.
        int processes = 8;
        int steps = 10_000;
        for (int round = 0; round < Stress.scale(3); round++) {
            CountDownLatch done = new CountDownLatch(processes);
            AtomicInteger offLoop = new AtomicInteger();
            List<Set<Thread>> threads = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                NettyLane lane = d.lane();
                Set<Thread> seen = ConcurrentHashMap.newKeySet();
                threads.add(seen);
                Runnable[] step = new Runnable[1];
                AtomicInteger left = new AtomicInteger(steps);
                step[0] = () -> {
                    seen.add(Thread.currentThread());
                    if (!lane.executor().inEventLoop()) offLoop.incrementAndGet();
                    if (left.decrementAndGet() > 0) lane.execute(step[0]); else done.countDown();
                };
                lane.execute(step[0]);
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(0, offLoop.get(), "steps that ran off their lane's event loop");
            for (Set<Thread> seen : threads) {
                assertEquals(1, seen.size(), "threads of one process: " + seen);
            }
        }
    }

    @Test
    void clause5_laneFromAGroupThreadIsThatThreadsExecutor() throws Exception {
        for (EventExecutor e : d.group()) {
            AtomicReference<NettyLane> lane = new AtomicReference<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            CountDownLatch l = new CountDownLatch(1);
            e.execute(() -> { lane.set(d.lane()); thread.set(Thread.currentThread()); l.countDown(); });
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertSame(e, lane.get().executor());
            // A process started there runs its steps on that same thread.
            AtomicReference<Thread> stepThread = new AtomicReference<>();
            CountDownLatch s = new CountDownLatch(1);
            lane.get().execute(() -> { stepThread.set(Thread.currentThread()); s.countDown(); });
            assertTrue(s.await(5, TimeUnit.SECONDS));
            assertSame(thread.get(), stepThread.get());
        }
    }

    @Test
    void clause5_oneOutsideThreadKeepsItsHomeExecutorAndThreadsSpreadOverTheGroup() throws Exception {
        Set<EventExecutor> mine = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 20; i++) mine.add(d.lane().executor());
        assertEquals(1, mine.size(), "the processes one thread starts share an event loop");
        Set<EventExecutor> used = Collections.synchronizedSet(Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        int executors = 0;
        for (EventExecutor ignored : d.group()) executors++;
        for (int i = 0; i < 16 * executors; i++) {
            Thread t = new Thread(() -> used.add(d.lane().executor()));
            t.start();
            t.join();
        }
        assertEquals(executors, used.size(), "threads outside the group spread over all of it");
    }

    @Test
    void clause5_tasksOnOneLaneKeepSubmissionOrder() throws Exception {
        int producers = 4;
        int perProducer = Stress.scale(25_000);
        NettyLane lane = d.lane();
        int[] last = new int[producers];
        java.util.Arrays.fill(last, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(producers * perProducer);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    // `last` is only touched on the lane's single thread.
                    lane.execute(() -> {
                        if (last[id] != seq - 1) outOfOrder.incrementAndGet();
                        last[id] = seq;
                        all.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertTrue(all.await(30, TimeUnit.SECONDS));
        assertEquals(0, outOfOrder.get());
    }

    @Test
    void clause6_timersNeverFireEarly() throws Exception {
        int n = 200;
        CountDownLatch all = new CountDownLatch(n);
        AtomicInteger early = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            long delayMs = 1 + (i % 20);
            long start = System.nanoTime();
            d.schedule(Duration.ofMillis(delayMs), () -> {
                if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(delayMs)) early.incrementAndGet();
                all.countDown();
            });
        }
        assertTrue(all.await(10, TimeUnit.SECONDS));
        assertEquals(0, early.get());
    }

    @Test
    void clause6_zeroAndNegativeDelaysFireAndNeverInline() throws Exception {
        // "Inline" means on the caller's thread while it is still inside schedule(...); from an outside
        // thread the loop may well run the timer before schedule returns, which is fine.
        ThreadLocal<Boolean> insideSchedule = ThreadLocal.withInitial(() -> false);
        for (Duration delay : List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(-5))) {
            for (boolean fromLoop : new boolean[] {false, true}) {
                AtomicBoolean inline = new AtomicBoolean(true);
                CountDownLatch l = new CountDownLatch(1);
                Runnable scheduleIt = () -> {
                    insideSchedule.set(true);
                    d.schedule(delay, () -> { inline.set(insideSchedule.get()); l.countDown(); });
                    insideSchedule.set(false);
                };
                if (fromLoop) d.execute(scheduleIt); else scheduleIt.run();
                assertTrue(l.await(5, TimeUnit.SECONDS), "delay " + delay);
                assertFalse(inline.get(), "inline with delay " + delay + (fromLoop ? " from the loop" : ""));
            }
        }
    }

    @Test
    void clause6_cancelledTimerNeverRuns() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        List<Cancellable> handles = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            handles.add(d.schedule(Duration.ofMillis(50), ran::incrementAndGet));
        }
        for (Cancellable c : handles) assertTrue(c.cancel());
        for (Cancellable c : handles) assertFalse(c.cancel(), "second cancel");
        CountDownLatch after = new CountDownLatch(1);
        d.schedule(Duration.ofMillis(150), after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(0, ran.get());
        assertEquals(0, d.pendingTimerCount());
    }

    @Test
    void clause6_cancelAfterFiringReturnsFalse() throws Exception {
        for (int i = 0; i < Stress.scale(100); i++) {
            CountDownLatch l = new CountDownLatch(1);
            Cancellable c = d.schedule(Duration.ZERO, l::countDown);
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertFalse(c.cancel());
        }
    }

    @Test
    void clause6_cancelRacingTheTimerIsTrueExactlyWhenTheTaskDidNotRun() throws Exception {
        int n = Stress.scale(2_000);
        AtomicIntegerArray ran = new AtomicIntegerArray(n);
        List<Cancellable> handles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            handles.add(d.schedule(Duration.ofNanos(i * 500L), () -> ran.incrementAndGet(k)));
        }
        boolean[] cancelled = new boolean[n];
        for (int i = 0; i < n; i++) cancelled[i] = handles.get(i).cancel();
        Thread.sleep(50);
        for (int i = 0; i < n; i++) {
            assertEquals(cancelled[i] ? 0 : 1, ran.get(i), "timer " + i + " cancelled=" + cancelled[i]);
        }
    }

    @Test
    void clause6_tenThousandTimersAllFireInDeadlineOrderWhenTenMillisApart() throws Exception {
        int n = 10_000;
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) d.schedule(Duration.ofMillis(i % 50), all::countDown);
        assertTrue(all.await(20, TimeUnit.SECONDS));
        assertEquals(0, d.pendingTimerCount());

        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch three = new CountDownLatch(3);
        d.schedule(Duration.ofMillis(60), () -> { order.add(3); three.countDown(); });
        d.schedule(Duration.ofMillis(20), () -> { order.add(1); three.countDown(); });
        d.schedule(Duration.ofMillis(40), () -> { order.add(2); three.countDown(); });
        assertTrue(three.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3), order);
    }

    @Test
    void clause6_aHugeDelayIsAcceptedAndCancellable() {
        Cancellable c = d.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> {});
        Cancellable c2 = d.schedule(Duration.ofDays(365_000), () -> {});
        assertTrue(c.cancel());
        assertTrue(c2.cancel());
    }

    @Test
    void clause7_isDispatcherThreadOnTheGroupsThreadsOnly() throws Exception {
        assertFalse(d.isDispatcherThread());
        AtomicBoolean onLoop = new AtomicBoolean();
        AtomicBoolean onTimer = new AtomicBoolean();
        AtomicBoolean onLane = new AtomicBoolean();
        CountDownLatch l = new CountDownLatch(3);
        d.execute(() -> { onLoop.set(d.isDispatcherThread()); l.countDown(); });
        d.schedule(Duration.ofMillis(1), () -> { onTimer.set(d.isDispatcherThread()); l.countDown(); });
        d.lane().execute(() -> { onLane.set(d.isDispatcherThread()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertTrue(onLoop.get());
        assertTrue(onTimer.get());
        assertTrue(onLane.get());
        try (NettyDispatcher other = new NettyDispatcher(1)) {
            AtomicBoolean otherSees = new AtomicBoolean(true);
            AtomicBoolean weSeeOthers = new AtomicBoolean(true);
            CountDownLatch o = new CountDownLatch(2);
            d.execute(() -> { otherSees.set(other.isDispatcherThread()); o.countDown(); });
            other.execute(() -> { weSeeOthers.set(d.isDispatcherThread()); o.countDown(); });
            assertTrue(o.await(5, TimeUnit.SECONDS));
            assertFalse(otherSees.get(), "another dispatcher's thread is not ours");
            assertFalse(weSeeOthers.get(), "our thread is not another dispatcher's");
        }
        Thread virtual = Thread.ofVirtual().start(() -> onLoop.set(d.isDispatcherThread()));
        virtual.join();
        assertFalse(onLoop.get());
    }
}
