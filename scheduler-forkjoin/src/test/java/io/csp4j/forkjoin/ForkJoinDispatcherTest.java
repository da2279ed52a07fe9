package io.csp4j.forkjoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;
import io.csp4j.spi.Dispatchers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every clause of the Dispatcher contract (the SPI's Javadoc, tck/SPEC.md Part 1), on the ForkJoin default. */
class ForkJoinDispatcherTest {

    private ForkJoinDispatcher d;

    @BeforeEach
    void start() {
        d = new ForkJoinDispatcher();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    @Test
    void providerIsFoundByServiceLoaderWithTheLowestPriority() {
        DispatcherProvider p = Dispatchers.providers().stream()
                .filter(x -> x.name().equals("forkjoin")).findFirst().orElseThrow();
        assertInstanceOf(ForkJoinDispatcherProvider.class, p);
        assertEquals(0, p.priority());
        try (Dispatcher created = p.create()) {
            assertInstanceOf(ForkJoinDispatcher.class, created);
            assertEquals("forkjoin", created.name());
        }
    }

    @Test
    void propertySelectsForkJoin() {
        System.setProperty(Dispatchers.PROPERTY, "forkjoin");
        try {
            assertInstanceOf(ForkJoinDispatcherProvider.class, Dispatchers.findProvider());
        } finally {
            System.clearProperty(Dispatchers.PROPERTY);
        }
    }

    @Test
    void executeNeverRunsOnTheCallersStack() throws Exception {
        // From an outside thread, and from a worker (where FJ pushes to the local queue): the task
        // must never run while the caller is still inside execute(...) on the same thread.
        ThreadLocal<Boolean> insideExecute = ThreadLocal.withInitial(() -> false);
        AtomicInteger inline = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(2_000);
        for (int i = 0; i < 1_000; i++) {
            insideExecute.set(true);
            d.execute(() -> {
                if (insideExecute.get()) inline.incrementAndGet();
                insideExecute.set(true);
                d.execute(() -> {
                    if (insideExecute.get()) inline.incrementAndGet();
                    ran.countDown();
                });
                insideExecute.set(false);
                ran.countDown();
            });
            insideExecute.set(false);
        }
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertEquals(0, inline.get(), "tasks run inline");
    }

    @Test
    void everyTaskRunsExactlyOnce() throws Exception {
        int n = 200_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        CountDownLatch all = new CountDownLatch(n);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int from = p * (n / 4);
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = from; i < from + n / 4; i++) {
                    int k = i;
                    d.execute(() -> { runs.incrementAndGet(k); all.countDown(); });
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
    void writesBeforeExecuteAreVisibleInTheTask() throws Exception {
        for (int i = 0; i < 10_000; i++) {
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
    void throwingTaskIsReportedAndLaterTasksRun() throws Exception {
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ForkJoinDispatcher own = new ForkJoinDispatcher(2, (t, e) -> reported.add(e))) {
            CountDownLatch later = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                own.execute(() -> { throw new IllegalStateException("boom"); });
                own.execute(later::countDown);
            }
            assertTrue(later.await(5, TimeUnit.SECONDS));
            own.execute(() -> {});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reported.size() < 100 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(100, reported.size());
            assertEquals("boom", reported.get(0).getMessage());
            assertEquals(2, own.parallelism());
        }
    }

    @Test
    void timersNeverFireEarly() throws Exception {
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
    void zeroAndNegativeDelaysFireAndNeverInline() throws Exception {
        // "Inline" means: on the caller's thread while it is still inside schedule(...).
        ThreadLocal<Boolean> insideSchedule = ThreadLocal.withInitial(() -> false);
        for (int i = 0; i < 100; i++) {
            for (Duration delay : List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(-5))) {
                AtomicBoolean inline = new AtomicBoolean();
                CountDownLatch l = new CountDownLatch(1);
                insideSchedule.set(true);
                d.schedule(delay, () -> { inline.set(insideSchedule.get()); l.countDown(); });
                insideSchedule.set(false);
                assertTrue(l.await(5, TimeUnit.SECONDS), "delay " + delay);
                assertFalse(inline.get(), "ran inline for delay " + delay);
            }
        }
    }

    @Test
    void cancelledTimerNeverRuns() throws Exception {
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
    }

    @Test
    void aTimerWhoseCancelReturnedTrueNeverRunsEvenWhenCancelRacesItsFiring() throws Exception {
        // Regression: the JDK's ScheduledFuture.cancel returns true while its task is running, so a
        // cancel that raced the hand-over to the lane said "cancelled" and the task ran anyway.
        int n = 50_000;
        AtomicIntegerArray ran = new AtomicIntegerArray(n);
        boolean[] cancelled = new boolean[n];
        CountDownLatch settled = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            Cancellable c = d.schedule(Duration.ofNanos(i % 3 == 0 ? 0 : 200_000), () -> {
                ran.incrementAndGet(k);
            });
            if ((i & 7) != 0) {
                Thread.onSpinWait(); // vary how close the cancel comes to the firing
            }
            cancelled[k] = c.cancel();
            settled.countDown();
        }
        assertTrue(settled.await(10, TimeUnit.SECONDS));
        Thread.sleep(200);
        CountDownLatch drained = new CountDownLatch(2);
        d.execute(drained::countDown);
        d.schedule(Duration.ofMillis(5), drained::countDown);
        assertTrue(drained.await(10, TimeUnit.SECONDS));
        int both = 0, neither = 0;
        for (int k = 0; k < n; k++) {
            if (cancelled[k] && ran.get(k) != 0) both++;
            if (!cancelled[k] && ran.get(k) != 1) neither++;
        }
        assertEquals(0, both, "timers that ran although cancel() returned true");
        assertEquals(0, neither, "timers that neither ran once nor were cancelled");
    }

    @Test
    void cancelAfterFiringReturnsFalse() throws Exception {
        CountDownLatch l = new CountDownLatch(1);
        Cancellable c = d.schedule(Duration.ZERO, l::countDown);
        assertTrue(l.await(5, TimeUnit.SECONDS));
        Thread.sleep(5);
        assertFalse(c.cancel());
    }

    @Test
    void tenThousandTimersAllFireInDeadlineOrderWhenTenMillisApart() throws Exception {
        int n = 10_000;
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) d.schedule(Duration.ofMillis(i % 50), all::countDown);
        assertTrue(all.await(20, TimeUnit.SECONDS));

        // A loaded machine can stall this thread between two schedule calls for longer than the
        // 20 ms between the deadlines (then the JDK's own timer fires them "out of order" too): one
        // round of three must be in order, as in the TCK's clause 1.6e.
        List<List<Integer>> rounds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch three = new CountDownLatch(3);
            d.schedule(Duration.ofMillis(60), () -> { order.add(3); three.countDown(); });
            d.schedule(Duration.ofMillis(20), () -> { order.add(1); three.countDown(); });
            d.schedule(Duration.ofMillis(40), () -> { order.add(2); three.countDown(); });
            assertTrue(three.await(5, TimeUnit.SECONDS));
            rounds.add(List.copyOf(order));
            if (order.equals(List.of(1, 2, 3))) {
                return;
            }
        }
        throw new AssertionError("no round fired in deadline order: " + rounds);
    }

    @Test
    void isDispatcherThreadOnWorkersAndTimerOnly() throws Exception {
        assertFalse(d.isDispatcherThread());
        AtomicBoolean onWorker = new AtomicBoolean();
        AtomicBoolean onTimerViaPool = new AtomicBoolean();
        AtomicReference<String> name = new AtomicReference<>();
        CountDownLatch l = new CountDownLatch(2);
        d.execute(() -> { onWorker.set(d.isDispatcherThread()); name.set(Thread.currentThread().getName()); l.countDown(); });
        d.schedule(Duration.ofMillis(1), () -> { onTimerViaPool.set(d.isDispatcherThread()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertTrue(onWorker.get());
        assertTrue(onTimerViaPool.get());
        assertTrue(name.get().matches("csp4j-forkjoin-\\d+"), name.get());
        try (ForkJoinDispatcher other = new ForkJoinDispatcher(1)) {
            AtomicBoolean otherSees = new AtomicBoolean(true);
            CountDownLatch o = new CountDownLatch(1);
            d.execute(() -> { otherSees.set(other.isDispatcherThread()); o.countDown(); });
            assertTrue(o.await(5, TimeUnit.SECONDS));
            assertFalse(otherSees.get(), "another dispatcher's worker is not ours");
        }
        Thread virtual = Thread.ofVirtual().start(() -> onWorker.set(d.isDispatcherThread()));
        virtual.join();
        assertFalse(onWorker.get());
    }

    @Test
    void workersAreDaemonThreadsAndParallelismIsTheProcessorCount() throws Exception {
        assertEquals(Runtime.getRuntime().availableProcessors(), d.parallelism());
        AtomicBoolean daemon = new AtomicBoolean();
        CountDownLatch l = new CountDownLatch(1);
        d.execute(() -> { daemon.set(Thread.currentThread().isDaemon()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertTrue(daemon.get());
    }

    @Test
    void laneRunsTasksUnderTheSameContract() throws Exception {
        CountDownLatch l = new CountDownLatch(1000);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 1000; i++) d.lane().execute(() -> { threads.add(Thread.currentThread()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertFalse(threads.contains(Thread.currentThread()));
    }

    @Test
    void aLaneIsOneThreadKeepingSubmissionOrder() throws Exception {
        for (int round = 0; round < 20; round++) {
            java.util.concurrent.Executor lane = d.lane();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch l = new CountDownLatch(1_000);
            for (int i = 0; i < 1_000; i++) {
                int k = i;
                lane.execute(() -> { order.add(k); threads.add(Thread.currentThread()); l.countDown(); });
            }
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertEquals(1, threads.size(), "one lane, one thread");
            for (int i = 0; i < 1_000; i++) assertEquals(i, order.get(i));
        }
    }

    @Test
    void laneAndExecuteFromALoopThreadStayOnIt() throws Exception {
        AtomicBoolean same = new AtomicBoolean();
        CountDownLatch l = new CountDownLatch(1);
        d.lane().execute(() -> {
            Thread me = Thread.currentThread();
            d.lane().execute(() -> d.execute(() -> { same.set(Thread.currentThread() == me); l.countDown(); }));
        });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertTrue(same.get());
        Set<java.util.concurrent.Executor> lanes = new java.util.HashSet<>();
        for (int i = 0; i < d.parallelism() * 2; i++) lanes.add(d.lane());
        assertEquals(1, lanes.size(), "one thread outside the dispatcher always gets its home lane");
    }

    @Test
    void threadsOutsideTheDispatcherSpreadOverTheLanes() throws Exception {
        ForkJoinDispatcher four = new ForkJoinDispatcher(4);
        try {
            Set<java.util.concurrent.Executor> homes = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 64; i++) {
                Thread t = new Thread(() -> homes.add(four.lane()));
                t.start();
                t.join();
            }
            assertEquals(4, homes.size(), "64 threads share 4 home lanes");
        } finally {
            four.close();
        }
    }

    @Test
    void closeCancelsPendingTimersAndEndsItsThreads() throws Exception {
        ForkJoinDispatcher own = new ForkJoinDispatcher(2);
        AtomicInteger fired = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch l = new CountDownLatch(2);
        own.execute(() -> { threads.add(Thread.currentThread()); l.countDown(); });
        own.schedule(Duration.ZERO, () -> { threads.add(Thread.currentThread()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) own.schedule(Duration.ofMillis(100), fired::incrementAndGet);
        own.close();
        own.close(); // idempotent
        assertTrue(own.isClosed());
        for (Thread t : threads) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after close");
        }
        Thread.sleep(200);
        assertEquals(0, fired.get());
        assertThrows(RejectedExecutionException.class, () -> own.execute(() -> {}));
        assertThrows(RejectedExecutionException.class, () -> own.schedule(Duration.ZERO, () -> {}));
        boolean timerAlive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("csp4j-forkjoin-timer") && threads.contains(t));
        assertFalse(timerAlive);
    }

    @Test
    void unstartedProcessesOfABusyLaneAreTakenByAnIdleOne() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            for (int round = 0; round < 3; round++) {
                // Eight CPU-bound first steps spawned from one thread all land on its home lane;
                // the other lane takes some while the first is busy.
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                CountDownLatch l = new CountDownLatch(8);
                for (int i = 0; i < 8; i++) {
                    two.spawn(() -> {
                        ran.add(Thread.currentThread());
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                        while (System.nanoTime() < end) Thread.onSpinWait();
                        l.countDown();
                    });
                }
                assertTrue(l.await(20, TimeUnit.SECONDS));
                assertEquals(2, ran.size(), "round " + round + ": both lanes ran spawned steps: " + ran);
            }
        } finally {
            two.close();
        }
    }

    @Test
    void unstartedProcessesOfALaneBlockedInJavaAreTakenByAnIdleOne() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            for (int round = 0; round < 5; round++) {
                // The first step blocks its lane (WAITING) until the four spawned after it have run:
                // they can only run if the other lane takes them.
                CountDownLatch others = new CountDownLatch(4);
                CountDownLatch blockerDone = spawnBlockedUntil(two, others);
                for (int i = 0; i < 4; i++) {
                    two.spawn(others::countDown);
                }
                assertTrue(blockerDone.await(20, TimeUnit.SECONDS));
                assertEquals(0, others.getCount(), "round " + round + ": the steps behind a blocked lane were not taken over");
            }
        } finally {
            two.close();
        }
    }

    /**
     * Spawns a first step that blocks its lane (WAITING, at most 10 s) until {@code released} reaches
     * zero; the returned latch opens when it has ended.
     */
    private static CountDownLatch spawnBlockedUntil(ForkJoinDispatcher d, CountDownLatch released) {
        CountDownLatch done = new CountDownLatch(1);
        d.spawn(() -> {
            try {
                released.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        return done;
    }

    @Test
    void aPairWaitingBehindABusyLaneIsStolenOnlyAfterTheSmallGroupAge() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            for (int round = 0; round < 3; round++) {
                // Two processes placed together (a ping-pong pair from main) behind a lane that is
                // blocked: they are taken over, but only once they have waited the small-group age,
                // not after the 250 us that bulk work waits, so a short busy spell does not split them.
                CountDownLatch pairRan = new CountDownLatch(2);
                CountDownLatch blockerDone = spawnBlockedUntil(two, pairRan);
                long placedAt = System.nanoTime();
                long[] waited = new long[2];
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                for (int i = 0; i < 2; i++) {
                    int k = i;
                    two.spawn(() -> {
                        waited[k] = System.nanoTime() - placedAt;
                        ran.add(Thread.currentThread());
                        pairRan.countDown();
                    });
                }
                assertTrue(blockerDone.await(20, TimeUnit.SECONDS));
                assertEquals(0, pairRan.getCount(), "round " + round + ": the pair never ran");
                assertEquals(1, ran.size(), "round " + round + ": the pair was split: " + ran);
                for (long w : waited) {
                    assertTrue(w >= Lane.SMALL_GROUP_AGE_NANOS, "round " + round + ": taken after " + w + " ns");
                }
            }
        } finally {
            two.close();
        }
    }

    @Test
    void aProcessWaitingBehindALaneThatWorksThroughShortTasksStaysWithItsPartner() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            int tested = 0;
            for (int round = 0; round < 20 && tested < 3; round++) {
                // A process runs on the home lane; then the lane gets a queue of short tasks (about
                // 8 ms of work, far more than the small-group age of 4 ms) and a second process is
                // spawned behind them, as the partner of a ping-pong pair started from main can be.
                // The lane is busy on the CPU but never held by one task: the second process waits
                // its turn there instead of being taken over, which would split the pair for good.
                Thread.sleep(5);
                AtomicReference<Thread> first = new AtomicReference<>();
                CountDownLatch firstRan = new CountDownLatch(1);
                two.spawn(() -> {
                    first.set(Thread.currentThread());
                    firstRan.countDown();
                });
                assertTrue(firstRan.await(20, TimeUnit.SECONDS));
                Executor home = two.lane();
                // The lane waits behind a gate while the queue is built, so that it is all there when
                // the second process arrives however slowly this thread submits (under PIT's coverage
                // run the lane used to run most of it while it was submitted, leaving too little). The
                // gate opens just before the spawn: opened after it, a lane still held by the gate when
                // this thread is descheduled for a few ms would rightly give the process away.
                CountDownLatch gate = new CountDownLatch(1);
                home.execute(() -> {
                    try {
                        gate.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                for (int i = 0; i < 4_000; i++) {
                    home.execute(() -> {
                        long end = System.nanoTime() + 2_000;
                        while (System.nanoTime() - end < 0) Thread.onSpinWait();
                    });
                }
                AtomicReference<Thread> second = new AtomicReference<>();
                long[] waited = new long[1];
                CountDownLatch secondRan = new CountDownLatch(1);
                gate.countDown();
                long spawnedAt = System.nanoTime();
                two.spawn(() -> {
                    waited[0] = System.nanoTime() - spawnedAt;
                    second.set(Thread.currentThread());
                    secondRan.countDown();
                });
                assertTrue(secondRan.await(20, TimeUnit.SECONDS));
                if (waited[0] >= Lane.STARVED_NANOS) {
                    continue; // a loaded machine stretched the queue past the starvation bound: moving is right then
                }
                if (waited[0] < Lane.SMALL_GROUP_AGE_NANOS) {
                    // Started before it could be stolen: this thread was descheduled between opening the
                    // gate and the spawn, and the lane had run most of the queue. Nothing was tested.
                    assertEquals(first.get(), second.get(), "round " + round + ": moved after " + waited[0] + " ns");
                    continue;
                }
                assertEquals(first.get(), second.get(), "round " + round + ": taken over after " + waited[0] + " ns");
                tested++;
            }
            assertEquals(3, tested, "in 20 rounds, fewer than 3 queues took between the small-group age and the"
                    + " starvation bound to run: the machine is too loaded");
        } finally {
            two.close();
        }
    }

    @Test
    void aLaneThatLooksRunnableButUsesNoCpuIsStolenFromOnlyOnceItsProcessesStarve() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.Socket client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
                java.net.Socket accepted = server.accept()) {
            // The first step blocks its lane in a socket read: RUNNABLE to Java, no CPU used, as a
            // thread preempted by a loaded machine looks. The step behind it is taken over, but only
            // after Lane.STARVED_NANOS, not after the 250 us that a busy lane gets.
            // First a read and a write once, so that the measured read does not load classes (a
            // thread loading a class may show as BLOCKED, which counts as busy).
            CountDownLatch warm = new CountDownLatch(1);
            two.spawn(() -> {
                try {
                    accepted.getInputStream().read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                warm.countDown();
            });
            client.getOutputStream().write(0);
            assertTrue(warm.await(20, TimeUnit.SECONDS));
            CountDownLatch readDone = new CountDownLatch(1);
            two.spawn(() -> {
                try {
                    accepted.getInputStream().read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                readDone.countDown();
            });
            long[] waited = new long[1];
            CountDownLatch ran = new CountDownLatch(1);
            long spawnedAt = System.nanoTime();
            two.spawn(() -> {
                waited[0] = System.nanoTime() - spawnedAt;
                ran.countDown();
            });
            assertTrue(ran.await(20, TimeUnit.SECONDS), "the step behind a lane blocked in native I/O never ran");
            assertTrue(waited[0] >= Lane.STARVED_NANOS,
                    "taken over after " + waited[0] + " ns, before it starved (" + Lane.STARVED_NANOS + " ns)");
            client.getOutputStream().write(1);
            assertTrue(readDone.await(20, TimeUnit.SECONDS));
        } finally {
            two.close();
        }
    }

    @Test
    void aSpawnedStepThatWasTakenOverKeepsItsNewLaneForLaterTasks() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            int n = 16;
            AtomicInteger moved = new AtomicInteger();
            CountDownLatch l = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                two.spawn(() -> {
                    Thread first = Thread.currentThread();
                    java.util.concurrent.Executor lane = two.lane();
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                    while (System.nanoTime() < end) Thread.onSpinWait();
                    // Later steps of the process, submitted from this lane and from another thread.
                    lane.execute(() -> {
                        if (Thread.currentThread() != first) moved.incrementAndGet();
                        Thread other = new Thread(() -> lane.execute(() -> {
                            if (Thread.currentThread() != first) moved.incrementAndGet();
                            l.countDown();
                        }));
                        other.start();
                    });
                });
            }
            assertTrue(l.await(20, TimeUnit.SECONDS));
            assertEquals(0, moved.get(), "later steps ran on another thread than the first");
        } finally {
            two.close();
        }
    }

    @Test
    void processesSpawnedFromAnotherThreadBehindAHeldLaneAreTakenOutOfItsInboxOnceEachAndKeepTheirNewLane()
            throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            int[] sizes = {1, 2, 3, 7, 300, 1, 2, 3, 7, 300};
            for (int round = 0; round < sizes.length; round++) {
                // The home lane is held (WAITING) by a task that started before any of the processes
                // was spawned, so it never drains them: each waits in its inbox as a Start node, and
                // only a thief that claims it there can start it (ADR 0035). Sizes cover a small
                // group (moved whole, after the small-group age), bulk work, and more than one steal.
                int n = sizes[round];
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch allRan = new CountDownLatch(n);
                AtomicReference<Thread> held = new AtomicReference<>();
                AtomicBoolean ranWhileHeld = new AtomicBoolean();
                CountDownLatch letGo = new CountDownLatch(1);
                two.execute(() -> {
                    held.set(Thread.currentThread());
                    holding.countDown();
                    try {
                        ranWhileHeld.set(allRan.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    letGo.countDown();
                });
                assertTrue(holding.await(10, TimeUnit.SECONDS));
                Thread.sleep(round % 3);
                AtomicIntegerArray firstSteps = new AtomicIntegerArray(n);
                AtomicIntegerArray laterSteps = new AtomicIntegerArray(n);
                AtomicInteger wrongThread = new AtomicInteger();
                CountDownLatch done = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int k = i;
                    two.spawn(() -> {
                        Thread first = Thread.currentThread();
                        if (first == held.get()) wrongThread.incrementAndGet();
                        firstSteps.incrementAndGet(k);
                        Executor lane = two.lane();
                        Thread other = new Thread(() -> lane.execute(() -> {
                            if (Thread.currentThread() != first) wrongThread.incrementAndGet();
                            laterSteps.incrementAndGet(k);
                            done.countDown();
                        }));
                        allRan.countDown();
                        other.start();
                    });
                }
                assertTrue(done.await(20, TimeUnit.SECONDS), "round " + round + ": " + done.getCount() + " of " + n
                        + " processes spawned behind a held lane did not run");
                for (int i = 0; i < n; i++) {
                    assertEquals(1, firstSteps.get(i), "round " + round + ": first step of process " + i);
                    assertEquals(1, laterSteps.get(i), "round " + round + ": later step of process " + i);
                }
                assertEquals(0, wrongThread.get(), "round " + round
                        + ": a step ran on the held lane or a later step left its process's thread");
                assertTrue(letGo.await(20, TimeUnit.SECONDS), "round " + round + ": the holding task never ended");
                assertTrue(ranWhileHeld.get(), "round " + round + ": the processes started only after their lane was let go");
            }
        } finally {
            two.close();
        }
    }

    @Test
    void aLoneProcessSpawnedByALaneThatThenBlocksIsTakenOver() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            for (int round = 0; round < 10; round++) {
                // The other lane is parked for good (nothing waits anywhere) when a lane task spawns
                // one process and then blocks until it has run: only a thief woken by the spawn can
                // start it (a go block that starts a go block and then blocks its lane).
                Thread.sleep(5);
                CountDownLatch ran = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(1);
                AtomicBoolean inTime = new AtomicBoolean();
                two.lane().execute(() -> {
                    two.spawn(ran::countDown);
                    try {
                        inTime.set(ran.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                });
                assertTrue(done.await(20, TimeUnit.SECONDS));
                assertTrue(inTime.get(), "round " + round + ": the process spawned before its lane blocked never started");
            }
        } finally {
            two.close();
        }
    }

    @Test
    void processesSpawnedOnTheLaneThatIsSpinningAreStillSpreadOverTheLanes() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            for (int round = 0; round < 50; round++) {
                // The home lane has just run a task and spins (it holds the only spinner slot of two
                // lanes); the other is parked for good. CPU-bound processes spawned now each wait
                // until another one runs: the spinning lane is no thief for its own processes.
                Thread.sleep(5);
                AtomicBoolean ranTask = new AtomicBoolean();
                two.execute(() -> ranTask.set(true));
                while (!ranTask.get()) Thread.onSpinWait();
                long spinFrom = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(2 + round % 30); // within its spin
                while (System.nanoTime() - spinFrom < 0) Thread.onSpinWait();
                AtomicInteger running = new AtomicInteger();
                AtomicBoolean overlapped = new AtomicBoolean();
                CountDownLatch done = new CountDownLatch(4);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int i = 0; i < 4; i++) {
                    two.spawn(() -> {
                        running.incrementAndGet();
                        while (!overlapped.get() && System.nanoTime() - deadline < 0) {
                            if (running.get() >= 2) overlapped.set(true);
                            Thread.onSpinWait();
                        }
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
                assertTrue(done.await(20, TimeUnit.SECONDS));
                assertTrue(overlapped.get(), "round " + round + ": the processes never ran two at a time");
            }
        } finally {
            two.close();
        }
    }

    @Test
    void anIdleDispatcherParksEveryLane() throws Exception {
        ForkJoinDispatcher two = new ForkJoinDispatcher(2);
        try {
            // A burst of hand-offs between the lanes, then nothing: the lanes spin briefly and park.
            CountDownLatch burst = new CountDownLatch(20_000);
            for (int i = 0; i < 20_000; i++) two.execute(() -> two.execute(burst::countDown));
            assertTrue(burst.await(20, TimeUnit.SECONDS));
            Set<Thread> lanes = ConcurrentHashMap.newKeySet();
            CountDownLatch seen = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                two.spawn(() -> { lanes.add(Thread.currentThread()); seen.countDown(); });
                Thread t = new Thread(() -> two.execute(() -> { lanes.add(Thread.currentThread()); seen.countDown(); }));
                t.start();
                t.join();
            }
            assertTrue(seen.await(5, TimeUnit.SECONDS));
            // A spinning lane is RUNNABLE; a parked one WAITING. Sampled for a second after 100 ms.
            Thread.sleep(100);
            int runnable = 0;
            for (int sample = 0; sample < 100; sample++) {
                for (Thread t : lanes) {
                    if (t.getState() != Thread.State.WAITING) runnable++;
                }
                Thread.sleep(10);
            }
            assertEquals(0, runnable, "samples of an idle lane that was not parked (" + lanes + ")");
        } finally {
            two.close();
        }
    }

    @Test
    void atMostHalfTheLanesSpinAtOnceAndEverySpinnerSlotIsFreeOnceTheLanesPark() throws Exception {
        ForkJoinDispatcher four = new ForkJoinDispatcher(4);
        try {
            for (int round = 0; round < 5; round++) {
                // Hand-offs between all four lanes, each of which then spins (if it gets a slot) and parks.
                CountDownLatch burst = new CountDownLatch(4 * 2_000);
                for (int i = 0; i < 2_000; i++) {
                    for (int l = 0; l < 4; l++) {
                        Lane to = four.lanes[(l + 1) % 4];
                        four.lanes[l].execute(() -> to.execute(burst::countDown));
                    }
                }
                assertTrue(burst.await(20, TimeUnit.SECONDS));
                parksOnceSettled(four);
                // Parked for good, none spins: the dispatcher has its two slots (four lanes / 2) free.
                assertTrue(four.tryStartSpinning(), "round " + round + ": a slot was left taken");
                assertTrue(four.tryStartSpinning(), "round " + round + ": a slot was left taken");
                assertFalse(four.tryStartSpinning(), "round " + round + ": more than half the lanes may spin");
                four.stopSpinning();
                assertTrue(four.tryStartSpinning());
                four.stopSpinning();
                four.stopSpinning();
            }
        } finally {
            four.close();
        }
    }

    @Test
    void aRequestForAThiefWakesExactlyOneParkedLaneOtherThanTheOneThatAsked() throws Exception {
        ForkJoinDispatcher four = new ForkJoinDispatcher(4);
        try {
            for (int round = 0; round < 8; round++) {
                int busy = round % 4;
                // Every lane parked for good (no spinner, none parked until a deadline): the request
                // wakes one other lane, which finds nothing to steal and parks again, once.
                long[] before = parksOnceSettled(four);
                four.wakeThief(four.lanes[busy]);
                long[] after = parksOnceSettled(four);
                int woken = 0;
                for (int l = 0; l < 4; l++) {
                    long parks = after[l] - before[l];
                    assertEquals(l == busy ? 0 : parks, parks, "round " + round + ": lane " + l + " that asked was woken");
                    assertTrue(parks <= 1, "round " + round + ": lane " + l + " parked " + parks + " times");
                    woken += (int) parks;
                }
                assertEquals(1, woken, "round " + round + ": lanes woken for one request");
            }
        } finally {
            four.close();
        }
    }

    /**
     * Waits until every lane of {@code d} is parked for good and has not parked again for 20 ms,
     * and returns how many times each lane's thread has parked (waited) so far.
     */
    private static long[] parksOnceSettled(ForkJoinDispatcher d) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long[] last = null;
        for (;;) {
            assertTrue(System.nanoTime() < deadline, "the lanes never settled");
            long[] now = new long[d.lanes.length];
            for (int l = 0; l < now.length; l++) {
                now[l] = mx.getThreadInfo(d.lanes[l].thread.threadId()).getWaitedCount();
            }
            if (allParked(d) && Arrays.equals(now, last)) {
                return now;
            }
            last = allParked(d) ? now : null;
            Thread.sleep(20);
        }
    }

    /** Whether every lane of {@code d} is parked with no deadline (WAITING in its park). */
    private static boolean allParked(ForkJoinDispatcher d) {
        for (Lane l : d.lanes) {
            if (!l.isParked() || l.thread.getState() != Thread.State.WAITING) {
                return false;
            }
        }
        return true;
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> d.execute(null));
        assertThrows(NullPointerException.class, () -> d.spawn(null));
        assertThrows(NullPointerException.class, () -> d.lane().execute(null));
        assertThrows(NullPointerException.class, () -> d.schedule(null, () -> {}));
        assertThrows(NullPointerException.class, () -> d.schedule(Duration.ZERO, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForkJoinDispatcher(0));
        assertEquals("parallelism must be at least 1, was 0", e.getMessage());
    }

    /**
     * On one lane (nothing is stolen), a process spawned, or a task submitted, by a task on the lane's
     * thread starts after the processes and tasks that other threads gave the lane before it (in
     * happens-before order), even when the lane has not drained them yet: both drain the inbox first
     * (TCK clause 1.5b orders tasks across threads; the order of starts is ForkJoin's own).
     */
    @Test
    void onOneLaneWhatTheLanesThreadGivesItRunsAfterWhatOtherThreadsGaveItBefore() throws Exception {
        try (ForkJoinDispatcher one = new ForkJoinDispatcher(1)) {
            for (int round = 0; round < 200; round++) {
                boolean taskFirst = round % 2 == 1; // the lane's task submits u before it spawns p
                List<String> order = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch given = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(taskFirst ? 5 : 4);
                one.execute(() -> {
                    holding.countDown();
                    awaitQuietly(given); // q and t are linked in the lane's inbox now, not drained
                    if (taskFirst) {
                        one.execute(() -> { order.add("u"); done.countDown(); });
                    }
                    one.spawn(() -> { order.add("p"); done.countDown(); });
                    order.add("a");
                    done.countDown();
                });
                assertTrue(holding.await(5, TimeUnit.SECONDS));
                one.spawn(() -> { order.add("q"); done.countDown(); });
                one.execute(() -> { order.add("t"); done.countDown(); });
                given.countDown();
                assertTrue(done.await(5, TimeUnit.SECONDS), "round " + round + ": " + order);
                assertEquals(taskFirst ? List.of("a", "q", "t", "u", "p") : List.of("a", "q", "t", "p"), order,
                        "round " + round);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
