package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancellation at each park point (put, take, alts, sleep, await, join), in both process modes:
 * the parked operation is withdrawn, so nothing is lost or duplicated; the process sees
 * {@link ProcessCancelledException}; cancellation is sticky; non-cancellable blocks; a process that
 * never parks is not interrupted.
 */
class CancellationTest extends EngineTestSupport {

    /** Starts {@code body} in a scope (for its task handle) and waits until it is parked. */
    private static <T> Task<T> parked(Scope scope, Csp.Body<T> body, CountDownLatch started) throws Exception {
        Task<T> t = scope.go(body);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(20); // let it reach its park
        return t;
    }

    /** The outcome of a task once it has ended. */
    private static void awaitEnd(Task<?> t) throws InterruptedException {
        eventually(10, () -> t.state() != Task.State.RUNNING);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCancelledTakeLeavesTheValueInTheChannel(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> c = chan();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finallyRan = new AtomicBoolean();
        try (Scope scope = Scope.open()) {
            Task<Integer> t = parked(scope, () -> {
                started.countDown();
                try {
                    return c.take();
                } finally {
                    finallyRan.set(true);
                }
            }, started);
            assertTrue(t.cancel());
            assertFalse(t.cancel(), "idempotent");
            awaitEnd(t);
            assertEquals(Task.State.CANCELLED, t.state());
            assertInstanceOf(ProcessCancelledException.class, t.exception());
            assertTrue(t.exception().getMessage().contains("take()"), t.exception().getMessage());
            assertTrue(finallyRan.get());
            assertFalse(c.offer(7), "the withdrawn taker is gone from the channel");
            Chan<Integer> later = go(c::take);
            within(5, () -> c.put(8));
            assertEquals(8, within(5, later::take), "the next taker gets the value");
            scope.join(); // cancelling one task is no failure of its scope
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCancelledPutKeepsItsValue(ProcessMode m) throws Exception {
        mode(m);
        Chan<String> c = chan();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> kept = new AtomicReference<>();
        try (Scope scope = Scope.open()) {
            Task<Void> t = parked(scope, () -> {
                started.countDown();
                try {
                    c.put("parcel");
                } catch (ProcessCancelledException e) {
                    kept.set("parcel");
                    throw e;
                }
                return null;
            }, started);
            t.cancel();
            awaitEnd(t);
            assertEquals(Task.State.CANCELLED, t.state());
            assertEquals("parcel", kept.get());
            assertTrue(t.exception().getMessage().contains("put()"), t.exception().getMessage());
            assertNull(c.poll(), "the withdrawn putter is gone: nothing to take");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCancelledAltsCommitsToNone(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> in = chan();
        Chan<Integer> out = chan();
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Task<AltResult> t = parked(scope, () -> {
                started.countDown();
                return alts(takeOp(in), putOp(out, 1), takeOp(timeout(60_000)));
            }, started);
            t.cancel();
            awaitEnd(t);
            assertEquals(Task.State.CANCELLED, t.state());
            assertTrue(t.exception().getMessage().contains("alts()"));
            assertFalse(in.offer(5), "no take registered on in");
            assertNull(out.poll(), "no put registered on out");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCancelledSleepAndAwaitEndAtOnce(ProcessMode m) throws Exception {
        mode(m);
        CompletableFuture<String> never = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(2);
        try (Scope scope = Scope.open()) {
            Task<Void> sleeper = scope.go(() -> {
                started.countDown();
                sleep(Duration.ofMinutes(10));
            });
            Task<String> awaiter = scope.go(() -> {
                started.countDown();
                return Csp.await(never);
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Thread.sleep(20);
            long t0 = System.nanoTime();
            sleeper.cancel();
            awaiter.cancel();
            awaitEnd(sleeper);
            awaitEnd(awaiter);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertEquals(Task.State.CANCELLED, sleeper.state());
            assertEquals(Task.State.CANCELLED, awaiter.state());
            assertTrue(awaiter.exception().getMessage().contains("await()"));
            never.complete("late"); // nobody is woken twice
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void cancellationIsStickyAndNonCancellableBlocksStillPark(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> c = chan();
        Chan<String> bye = chan();
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = new ArrayList<>();
        try (Scope scope = Scope.open()) {
            Task<Void> t = scope.go(() -> {
                started.countDown();
                try {
                    c.take();
                } catch (ProcessCancelledException swallowed) {
                    log.add("first");
                }
                try {
                    c.take(); // a later park throws again at once
                } catch (ProcessCancelledException again) {
                    log.add("again");
                }
                assertTrue(isCancelled());
                nonCancellable(() -> bye.put("bye")); // cleanup that parks
                log.add("cleaned up");
                checkCancelled(); // and after the block, cancelled again
                log.add("never");
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Thread.sleep(20);
            t.cancel();
            assertEquals("bye", within(10, bye::take));
            awaitEnd(t);
            assertEquals(List.of("first", "again", "cleaned up"), log);
            assertEquals(Task.State.CANCELLED, t.state());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aProcessThatNeverParksIsNotInterruptedButCanCheck(ProcessMode m) throws Exception {
        mode(m);
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        try (Scope scope = Scope.open()) {
            Task<Long> sum = scope.go(() -> {
                running.set(true);
                while (!release.get()) {
                    Thread.onSpinWait(); // computing, never parking: cancellation cannot reach it here
                }
                long s = 0;
                for (int i = 0; i < 1000; i++) {
                    s += i;
                }
                return s;
            });
            eventually(10, running::get);
            sum.cancel();
            release.set(true);
            awaitEnd(sum);
            assertEquals(Task.State.SUCCEEDED, sum.state(), "completion after cancel still delivers its value");
            assertEquals(499_500L, sum.get());

            AtomicInteger checks = new AtomicInteger();
            Task<Void> checker = scope.go(() -> {
                while (true) {
                    checks.incrementAndGet();
                    checkCancelled();
                    Thread.onSpinWait();
                }
            });
            eventually(10, () -> checks.get() > 0);
            checker.cancel();
            awaitEnd(checker);
            assertEquals(Task.State.CANCELLED, checker.state());
            assertTrue(checker.exception().getMessage().contains("checkCancelled()"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void anOperationThatHappenedBeforeTheCancellationKeepsItsResult(ProcessMode m) throws Exception {
        mode(m);
        // Many rounds with the put and the cancel racing: the taker either has the value or it is
        // still with the putter; never both, never neither.
        for (int i = 0; i < 300; i++) {
            int round = i;
            Chan<Integer> c = chan();
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger got = new AtomicInteger(-1);
            try (Scope scope = Scope.open()) {
                Task<Void> taker = scope.go(() -> {
                    started.countDown();
                    got.set(c.take());
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                CompletableFuture<Boolean> delivered = CompletableFuture.supplyAsync(() -> c.offer(round));
                if ((round & 1) == 0) {
                    Thread.onSpinWait();
                }
                taker.cancel();
                boolean handedOver = delivered.get(10, TimeUnit.SECONDS);
                awaitEnd(taker);
                if (handedOver) {
                    assertEquals(round, got.get(), "a take that happened keeps its value");
                    assertEquals(Task.State.SUCCEEDED, taker.state());
                } else {
                    assertEquals(-1, got.get());
                    assertEquals(Task.State.CANCELLED, taker.state());
                }
            }
        }
    }
}
