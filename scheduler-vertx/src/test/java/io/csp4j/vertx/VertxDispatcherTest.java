package io.csp4j.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The execute and timer clauses of the Dispatcher contract (the SPI's Javadoc, tck/SPEC.md Part 1), on a real Vert.x
 * (lanes: {@link VertxLaneTest}; close: {@link VertxDispatcherCloseTest}).
 */
class VertxDispatcherTest {

    /** Iterations of the concurrency tests are multiplied by this with -Dcsp4j.stress=long. */
    static final int SCALE = "long".equals(System.getProperty("csp4j.stress")) ? 10 : 1;

    private VertxDispatcher d;

    @BeforeEach
    void start() {
        d = VertxDispatcher.create();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(20, TimeUnit.SECONDS), "timed out with " + l.getCount() + " to go");
    }

    @Test
    void clause1_executeNeverRunsOnTheCallersStack() throws Exception {
        // From an outside thread, and from an event loop (where ContextInternal.execute would run
        // inline): the task must never run while the caller is still inside execute(...).
        ThreadLocal<Boolean> insideExecute = ThreadLocal.withInitial(() -> false);
        AtomicInteger inline = new AtomicInteger();
        int n = 2_000 * SCALE;
        CountDownLatch ran = new CountDownLatch(2 * n);
        for (int i = 0; i < n; i++) {
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
        await(ran);
        assertEquals(0, inline.get(), "tasks run inline");
    }

    @Test
    void clause2_everyTaskRunsExactlyOnce() throws Exception {
        int n = 200_000 * SCALE;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        CountDownLatch all = new CountDownLatch(n);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int from = p * (n / 4);
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = from; i < from + n / 4; i++) {
                    int k = i;
                    if (k % 2 == 0) {
                        d.execute(() -> { runs.incrementAndGet(k); all.countDown(); });
                    } else { // every other one submitted from an event loop
                        d.execute(() -> d.execute(() -> { runs.incrementAndGet(k); all.countDown(); }));
                    }
                }
            }));
        }
        for (Thread t : producers) t.join();
        await(all);
        Thread.sleep(50); // a duplicate run would show up now
        for (int i = 0; i < n; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
    }

    @Test
    void clause3_writesBeforeExecuteAreVisibleInTheTask() throws Exception {
        for (int i = 0; i < 10_000 * SCALE; i++) {
            int[] plain = new int[1];
            plain[0] = i;
            int expected = i;
            AtomicBoolean ok = new AtomicBoolean();
            CountDownLatch l = new CountDownLatch(1);
            d.execute(() -> { ok.set(plain[0] == expected); l.countDown(); });
            await(l);
            assertTrue(ok.get(), "iteration " + i);
        }
    }

    @Test
    void clause4_throwingTaskIsReportedToTheVertxHandlerAndLaterTasksRun() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        d.vertx().exceptionHandler(reported::add);
        CountDownLatch later = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            d.execute(() -> { throw new IllegalStateException("boom"); });
            d.execute(later::countDown);
            d.schedule(Duration.ofMillis(1), () -> { throw new IllegalStateException("timer boom"); });
        }
        await(later);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reported.size() < 200 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(200, reported.size());
        assertEquals(100, reported.stream().filter(e -> e.getMessage().equals("boom")).count());
        assertEquals(100, reported.stream().filter(e -> e.getMessage().equals("timer boom")).count());
    }

    @Test
    void clause4_throwingTaskOnACallersContextIsReportedToThatContextsHandler() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Context ctx = d.vertx().getOrCreateContext();
        ctx.exceptionHandler(reported::add);
        CountDownLatch later = new CountDownLatch(1);
        ctx.runOnContext(v -> {
            d.execute(() -> { throw new IllegalArgumentException("on the caller's context"); });
            d.lane().execute(() -> { throw new IllegalArgumentException("on the lane"); });
            d.execute(later::countDown);
        });
        await(later);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reported.size() < 2 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(List.of("on the caller's context", "on the lane"),
                reported.stream().map(Throwable::getMessage).toList());
    }

    @Test
    void clause6_timersNeverFireEarly() throws Exception {
        int n = 300;
        CountDownLatch all = new CountDownLatch(n);
        AtomicInteger early = new AtomicInteger();
        List<String> earlyOnes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            // whole, fractional (rounded up) and sub-millisecond delays
            Duration delay = switch (i % 3) {
                case 0 -> Duration.ofMillis(1 + (i % 20));
                case 1 -> Duration.ofNanos(1_000_000L * (i % 20) + 300_000);
                default -> Duration.ofNanos(1 + i * 1_000L);
            };
            long start = System.nanoTime();
            d.schedule(delay, () -> {
                long elapsed = System.nanoTime() - start;
                if (elapsed < delay.toNanos()) {
                    early.incrementAndGet();
                    earlyOnes.add(delay + " fired after " + elapsed + " ns");
                }
                all.countDown();
            });
        }
        await(all);
        assertEquals(0, early.get(), earlyOnes.toString());
    }

    @Test
    void clause6_zeroNegativeAndSubMillisecondDelaysFireAndNeverInline() throws Exception {
        List<Duration> delays = List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(999_999),
                Duration.ofMillis(-5), Duration.ofSeconds(-1, 500));
        ThreadLocal<Boolean> insideSchedule = ThreadLocal.withInitial(() -> false);
        for (Duration delay : delays) {
            for (boolean fromLoop : new boolean[] {false, true}) {
                AtomicBoolean inline = new AtomicBoolean(true);
                CountDownLatch l = new CountDownLatch(1);
                Runnable scheduleIt = () -> {
                    insideSchedule.set(true);
                    d.schedule(delay, () -> { inline.set(insideSchedule.get()); l.countDown(); });
                    insideSchedule.set(false);
                };
                if (fromLoop) d.execute(scheduleIt); else scheduleIt.run();
                await(l);
                assertFalse(inline.get(), "delay " + delay + (fromLoop ? " from an event loop" : ""));
            }
        }
    }

    @Test
    void clause6_cancelledTimerNeverRuns() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        List<Cancellable> handles = new ArrayList<>();
        // 500 ms: on a loaded 2-core machine, setting and cancelling 1,000 timers took more than 50 ms.
        for (int i = 0; i < 1_000; i++) {
            handles.add(d.schedule(Duration.ofMillis(500), ran::incrementAndGet));
        }
        handles.add(d.schedule(Duration.ZERO, ran::incrementAndGet)); // cancelled before its dispatch runs
        for (Cancellable c : handles.subList(0, 1_000)) assertTrue(c.cancel());
        handles.get(1_000).cancel(); // may or may not have run already; must agree with cancel below
        for (Cancellable c : handles) assertFalse(c.cancel(), "second cancel");
        CountDownLatch after = new CountDownLatch(1);
        d.schedule(Duration.ofMillis(600), after::countDown);
        await(after);
        assertTrue(ran.get() <= 1);
        assertEquals(0, d.pendingTimers(), "cancelled and fired timers are forgotten");
    }

    @Test
    void clause6_cancelAfterFiringReturnsFalse() throws Exception {
        for (Duration delay : List.of(Duration.ZERO, Duration.ofMillis(1))) {
            CountDownLatch l = new CountDownLatch(1);
            Cancellable c = d.schedule(delay, l::countDown);
            await(l);
            assertFalse(c.cancel(), "delay " + delay);
        }
    }

    @Test
    void clause6_cancelRacingTheTimerRunsTheTaskExactlyWhenCancelReturnsFalse() throws Exception {
        int n = 2_000 * SCALE;
        AtomicIntegerArray ran = new AtomicIntegerArray(n);
        boolean[] cancelled = new boolean[n];
        List<Cancellable> handles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            handles.add(d.schedule(Duration.ofNanos((i % 3) * 500_000L), () -> ran.incrementAndGet(k)));
            if (i % 7 == 0) Thread.onSpinWait();
            if (i >= 4) cancelled[i - 4] = handles.get(i - 4).cancel(); // cancel while others fire
        }
        for (int i = n - 4; i < n; i++) cancelled[i] = handles.get(i).cancel();
        Thread.sleep(100);
        CountDownLatch drained = new CountDownLatch(1);
        d.schedule(Duration.ofMillis(5), drained::countDown);
        await(drained);
        for (int i = 0; i < n; i++) {
            assertEquals(cancelled[i] ? 0 : 1, ran.get(i), "timer " + i + " cancel()=" + cancelled[i]);
        }
        assertEquals(0, d.pendingTimers());
    }

    @Test
    void clause6_hugeDelaysAreAcceptedAndCancellable() {
        for (Duration delay : List.of(Duration.ofDays(365L * 1000), Duration.ofSeconds(Long.MAX_VALUE))) {
            Cancellable c = d.schedule(delay, () -> { throw new AssertionError("fired"); });
            assertTrue(c.cancel(), "delay " + delay);
        }
    }

    @Test
    void clause6_tenThousandTimersAllFireAndInDeadlineOrderWhenTenMillisApart() throws Exception {
        int n = 10_000;
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) d.schedule(Duration.ofMillis(i % 50), all::countDown);
        await(all);

        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch five = new CountDownLatch(5);
        for (int k : new int[] {5, 1, 4, 2, 3}) {
            d.schedule(Duration.ofMillis(10L * k), () -> { order.add(k); five.countDown(); });
        }
        await(five);
        assertEquals(List.of(1, 2, 3, 4, 5), order);
    }

    @Test
    void timersSetOnAContextFireOnThatContext() throws Exception {
        Context ctx = d.vertx().getOrCreateContext();
        List<Object> seen = new CopyOnWriteArrayList<>();
        CountDownLatch l = new CountDownLatch(2);
        ctx.runOnContext(v -> {
            d.schedule(Duration.ZERO, () -> { seen.add(Vertx.currentContext()); l.countDown(); });
            d.schedule(Duration.ofMillis(2), () -> { seen.add(Vertx.currentContext()); l.countDown(); });
        });
        await(l);
        assertEquals(List.of(ctx, ctx), seen);
    }

    @Test
    void ownVertxHasDaemonThreadsAndOptionsAreHonoured() throws Exception {
        AtomicBoolean daemon = new AtomicBoolean();
        CountDownLatch l = new CountDownLatch(1);
        d.execute(() -> { daemon.set(Thread.currentThread().isDaemon()); l.countDown(); });
        await(l);
        assertTrue(daemon.get(), "a forgotten default dispatcher must not keep the JVM alive");

        try (VertxDispatcher one = VertxDispatcher.create(
                new VertxOptions().setEventLoopPoolSize(1).setUseDaemonThread(true))) {
            assertNotNull(one.vertx());
            assertTrue(one.ownsVertx());
            assertTrue(one.toString().contains("event loops=1"), one.toString());
        }
    }

    @Test
    void delaysAreRoundedUpToWholeMilliseconds() {
        assertEquals(0, VertxDispatcher.ceilMillis(Duration.ZERO));
        assertEquals(0, VertxDispatcher.ceilMillis(Duration.ofMillis(-3)));
        assertEquals(1, VertxDispatcher.ceilMillis(Duration.ofNanos(1)));
        assertEquals(1, VertxDispatcher.ceilMillis(Duration.ofMillis(1)));
        assertEquals(2, VertxDispatcher.ceilMillis(Duration.ofNanos(1_000_001)));
        assertEquals(Long.MAX_VALUE, VertxDispatcher.ceilMillis(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Long.MAX_VALUE / 1_000_000 + 1, VertxDispatcher.ceilMillis(Duration.ofNanos(Long.MAX_VALUE)));
    }
}
