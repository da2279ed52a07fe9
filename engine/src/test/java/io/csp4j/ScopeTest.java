package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Structured scopes, in both process modes: the two joiner policies, failure ranking, deadlines,
 * nesting, close, join inside go blocks, withTimeout(OrNull), and plain go unchanged.
 */
class ScopeTest extends EngineTestSupport {

    private static final Duration LONG = Duration.ofMinutes(10);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void allSucceedJoinsEveryProcess(ProcessMode m) {
        mode(m);
        within(10, () -> {
            try (Scope scope = Scope.open()) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    tasks.add(scope.go(() -> {
                        sleep(n % 7);
                        return n * n;
                    }));
                }
                scope.join();
                for (int i = 0; i < 100; i++) {
                    assertEquals(Task.State.SUCCEEDED, tasks.get(i).state());
                    assertEquals(i * i, tasks.get(i).get());
                }
                assertFalse(scope.isCancelled());
            }
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theFirstFailureCancelsTheSiblingsAndIsRethrownWithLaterFailuresSuppressed(ProcessMode m) {
        mode(m);
        IllegalStateException first = new IllegalStateException("first");
        IOException whileCancelling = new IOException("raised while cancelling");
        Chan<Integer> never = chan();
        AtomicInteger cancelledSiblings = new AtomicInteger();
        Task<?>[] tasks = new Task<?>[4];
        IllegalStateException thrown = within(10, () -> {
            try (Scope scope = Scope.open()) {
                for (int i = 0; i < 2; i++) {
                    tasks[i] = scope.go(() -> {
                        try {
                            return never.take();
                        } finally {
                            cancelledSiblings.incrementAndGet();
                        }
                    });
                }
                tasks[2] = scope.go(() -> {
                    try {
                        never.take();
                    } catch (ProcessCancelledException e) {
                        throw whileCancelling; // a failure raised while cancelling outranks the cancellation
                    }
                });
                tasks[3] = scope.go(() -> {
                    sleep(30);
                    throw first;
                });
                return assertThrows(IllegalStateException.class, scope::join);
            }
        });
        assertSame(first, thrown);
        assertEquals(List.of(whileCancelling), List.of(thrown.getSuppressed()), "no sibling cancellation attached");
        assertEquals(2, cancelledSiblings.get());
        assertEquals(Task.State.CANCELLED, tasks[0].state());
        assertEquals(Task.State.CANCELLED, tasks[1].state());
        assertEquals(Task.State.FAILED, tasks[2].state());
        assertSame(whileCancelling, tasks[2].exception());
        assertEquals(Task.State.FAILED, tasks[3].state());
        assertEquals(List.of(), reported, "join delivered every failure: nothing for the handler");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCheckedFailureArrivesWrapped(ProcessMode m) {
        mode(m);
        IOException io = new IOException("disk");
        CompletionException e = within(10, () -> {
            try (Scope scope = Scope.open()) {
                scope.go(() -> {
                    throw io;
                });
                return assertThrows(CompletionException.class, scope::join);
            }
        });
        assertSame(io, e.getCause());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theFirstSuccessWinsAndTheOthersAreCancelled(ProcessMode m) {
        mode(m);
        List<Task<String>> tasks = new ArrayList<>();
        String winner = within(10, () -> {
            try (FirstSuccess<String> race = Scope.firstSuccess()) {
                tasks.add(race.go("slow", () -> {
                    sleep(LONG);
                    return "slow";
                }));
                tasks.add(race.go("failing", () -> {
                    throw new IllegalStateException("replica down");
                }));
                tasks.add(race.go("fast", () -> {
                    sleep(40);
                    return "fast";
                }));
                return race.join();
            }
        });
        assertEquals("fast", winner);
        assertEquals(Task.State.CANCELLED, tasks.get(0).state());
        assertEquals(Task.State.FAILED, tasks.get(1).state());
        assertEquals("fast", tasks.get(2).name());
        assertEquals(List.of(), reported, "a loser's failure stays on its task");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void whenEveryContestantFailsTheFirstFailureIsThrown(ProcessMode m) {
        mode(m);
        RuntimeException thrown = within(10, () -> {
            try (FirstSuccess<Integer> race = Scope.firstSuccess()) {
                race.go(() -> {
                    throw new IllegalStateException("a");
                });
                race.go(() -> {
                    sleep(30);
                    throw new UncheckedIOException(new IOException("b"));
                });
                return assertThrows(RuntimeException.class, race::join);
            }
        });
        assertEquals("a", thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals("java.io.IOException: b", thrown.getSuppressed()[0].getMessage());
        within(5, () -> {
            try (FirstSuccess<Integer> empty = Scope.firstSuccess()) {
                return assertThrows(NoSuchElementException.class, empty::join);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theDeadlineCancelsTheWholeScope(ProcessMode m) {
        mode(m);
        Chan<Integer> never = chan();
        List<Task<?>> tasks = new ArrayList<>();
        long t0 = System.nanoTime();
        within(10, () -> {
            try (Scope scope = Scope.open(Duration.ofMillis(80))) {
                tasks.add(scope.go(never::take));
                tasks.add(scope.go(() -> sleep(LONG)));
                tasks.add(scope.go(() -> 1));
                DeadlineExceededException e = assertThrows(DeadlineExceededException.class, scope::join);
                assertTrue(e.getMessage().contains("80 ms"), e.getMessage());
                assertFalse(java.util.concurrent.CancellationException.class.isInstance(e));
                assertTrue(scope.isCancelled());
            }
            return null;
        });
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 75 && ms < 5000, ms + " ms");
        assertEquals(Task.State.CANCELLED, tasks.get(0).state());
        assertEquals(Task.State.CANCELLED, tasks.get(1).state());
        assertEquals(1, tasks.get(2).get());
        assertFalse(never.offer(1), "the cancelled take left no taker behind");
        // The deadline of a race: nobody succeeded in time.
        within(10, () -> {
            try (FirstSuccess<Integer> race = Scope.firstSuccess(Duration.ofMillis(30))) {
                race.go(never::take);
                return assertThrows(DeadlineExceededException.class, race::join);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void scopesNestAndACancelledTaskCancelsTheScopesItOpened(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> never = chan();
        AtomicInteger innerCancelled = new AtomicInteger();
        Chan<Integer> innerParked = chan(2);
        IllegalStateException thrown = within(10, () -> {
            try (Scope outer = Scope.open()) {
                outer.go(() -> {
                    try (Scope inner = Scope.open()) {
                        for (int i = 0; i < 2; i++) {
                            inner.go(() -> {
                                innerParked.put(1);
                                try {
                                    never.take();
                                } catch (ProcessCancelledException e) {
                                    innerCancelled.incrementAndGet();
                                    throw e;
                                }
                            });
                        }
                        never.take(); // the owner parks on a channel, not in join
                        inner.join();
                    }
                });
                outer.go(() -> {
                    innerParked.take(); // parks (a latch would block the lane in loop mode)
                    innerParked.take();
                    throw new IllegalStateException("sibling failed");
                });
                return assertThrows(IllegalStateException.class, outer::join);
            }
        });
        assertEquals("sibling failed", thrown.getMessage());
        assertEquals(2, innerCancelled.get(), "the inner scope's processes were cancelled and waited for");
        assertEquals(List.of(), reported);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void anInnerDeadlineIsAFailureOfTheOuterScopeNotACancellation(ProcessMode m) {
        mode(m);
        Chan<Integer> never = chan();
        DeadlineExceededException e = within(10, () -> {
            try (Scope outer = Scope.open()) {
                outer.go(() -> withTimeout(Duration.ofMillis(20), never::take));
                return assertThrows(DeadlineExceededException.class, outer::join);
            }
        });
        assertTrue(e.getMessage().contains("20 ms"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void joinInsideAGoBlockParksAndLeavesTheLaneFree(ProcessMode m) {
        mode(m);
        // 500 go blocks each join a scope whose process waits for a value that only arrives after
        // all of them have joined: if join blocked the lane threads, the children could never run.
        int n = 500;
        Chan<Integer> gate = chan(n);
        Chan<Integer> results = chan(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            go(() -> {
                try (Scope scope = Scope.open()) {
                    Task<Integer> t = scope.go(() -> gate.take() + k);
                    scope.join();
                    results.put(t.get());
                }
            });
        }
        long sum = within(20, () -> {
            for (int i = 0; i < n; i++) {
                gate.put(0);
            }
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += results.take();
            }
            return s;
        });
        assertEquals((long) n * (n - 1) / 2, sum);
        assertEquals(List.of(), reported);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void closeCancelsWaitsAndThrowsNothingButReportsAnUnjoinedFailure(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> never = chan();
        AtomicInteger ended = new AtomicInteger();
        Scope scope = Scope.open();
        Task<Integer> parkedTask = scope.go(() -> {
            try {
                return never.take();
            } finally {
                ended.incrementAndGet();
            }
        });
        Thread.sleep(20);
        within(10, () -> {
            scope.close();
            return null;
        });
        assertEquals(1, ended.get(), "close waited for the cancelled process");
        assertEquals(Task.State.CANCELLED, parkedTask.state());
        assertEquals(List.of(), reported, "a cancellation is no failure");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> scope.go(() -> 1));
        assertTrue(refused.getMessage().contains("closed"));

        Scope unjoined = Scope.open();
        Task<Void> failing = unjoined.go(() -> {
            throw new IllegalStateException("nobody joined me");
        });
        eventually(10, () -> failing.state() == Task.State.FAILED);
        assertEquals(List.of(), reported, "not reported while join may still deliver it");
        within(10, () -> {
            unjoined.close();
            return null;
        });
        assertEquals(1, reported.size());
        assertEquals("nobody joined me", reported.get(0).getMessage());
        unjoined.close();
        scope.close(); // idempotent
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aTaskCancelledBeforeItsFirstStepStillStartsAndStopsAtItsFirstParkPoint(ProcessMode m) {
        mode(m);
        Chan<Integer> never = chan();
        AtomicInteger started = new AtomicInteger();
        within(20, () -> {
            for (int round = 0; round < 200; round++) {
                int n = round;
                try (Scope scope = Scope.open()) {
                    Task<Integer> noPark = scope.go(() -> n);
                    Task<Integer> parks = scope.go(() -> {
                        started.incrementAndGet();
                        return never.take();
                    });
                    noPark.cancel(); // before its first step, or after it returned: the same outcome
                    assertTrue(parks.cancel());
                    assertFalse(parks.cancel(), "idempotent");
                    scope.join(); // a cancelled task is not a failure
                    assertEquals(Task.State.SUCCEEDED, noPark.state(), "not prompt: it ran and returned");
                    assertEquals(n, noPark.get());
                    assertEquals(Task.State.CANCELLED, parks.state());
                    assertInstanceOf(ProcessCancelledException.class, parks.exception());
                    assertFalse(scope.isCancelled(), "cancelling a task is not cancelling its scope");
                }
                assertEquals(n + 1, started.get(), "every cancelled task started, once");
            }
            return null;
        });
        assertEquals(List.of(), reported);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aCancelledScopeIgnoresLateResultsAndStartsNothing(ProcessMode m) throws Exception {
        mode(m);
        AtomicInteger ran = new AtomicInteger();
        within(10, () -> {
            try (FirstSuccess<String> race = Scope.firstSuccess()) {
                CountDownLatch go = new CountDownLatch(1);
                Task<String> late = race.go(() -> {
                    while (go.getCount() > 0) {
                        Thread.onSpinWait(); // never parks: finishes normally despite the cancel
                    }
                    return "late";
                });
                race.cancel();
                go.countDown();
                assertThrows(ProcessCancelledException.class, race::join, "the policy ignores the late result");
                assertEquals("late", late.get(), "but the task keeps it");
                Task<String> never = race.go(() -> {
                    ran.incrementAndGet();
                    return "x";
                });
                assertEquals(Task.State.CANCELLED, never.state());
                assertNull(never.exception());
            }
            return null;
        });
        assertEquals(0, ran.get());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void joinFromInsideTheScopeIsRefused(ProcessMode m) {
        mode(m);
        within(10, () -> {
            try (Scope scope = Scope.open()) {
                Scope[] self = {scope};
                Task<Void> t = scope.go(() -> self[0].join());
                assertThrows(IllegalStateException.class, scope::join);
                assertTrue(t.exception().getMessage().contains("wait for itself"));
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void withTimeoutOrNullTurnsOnlyItsOwnDeadlineIntoNull(ProcessMode m) {
        mode(m);
        Chan<Integer> c = chan();
        within(10, () -> {
            assertNull(withTimeoutOrNull(Duration.ofMillis(20), c::take));
            assertFalse(c.offer(1), "the timed-out take left nothing behind");
            Chan<Integer> full = chan(1);
            full.put(5);
            assertEquals(5, withTimeoutOrNull(Duration.ofSeconds(5), full::take));
            assertThrows(DeadlineExceededException.class, () -> withTimeoutOrNull(Duration.ofSeconds(5),
                    () -> withTimeout(Duration.ofMillis(10), c::take)), "an inner deadline is not ours");
            assertEquals(7, withTimeout(Duration.ofSeconds(5), () -> 7));
            // Inside a go block too: parks.
            Chan<Object> r = go(() -> {
                Object v = withTimeoutOrNull(Duration.ofMillis(10), c::take);
                return v == null ? "none" : v;
            });
            assertEquals("none", r.take());
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void plainGoInsideAScopeBelongsToNoScope(ProcessMode m) {
        mode(m);
        Chan<String> out = chan();
        Chan<String> outside = within(10, () -> {
            try (Scope scope = Scope.open()) {
                Task<Chan<String>> t = scope.go(() -> go(() -> {
                    sleep(50);
                    out.put("still here");
                    return "done";
                }));
                scope.join();
                scope.cancel();
                return t.get();
            }
        });
        assertEquals("still here", within(10, out::take));
        assertEquals("done", within(10, outside::take));
    }
}
