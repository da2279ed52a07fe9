package io.csp4j.tck;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.checkCancelled;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.nonCancellable;
import static io.csp4j.Csp.putOp;
import static io.csp4j.Csp.sleep;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.DeadlineExceededException;
import io.csp4j.FirstSuccess;
import io.csp4j.ProcessCancelledException;
import io.csp4j.ProcessMode;
import io.csp4j.Scope;
import io.csp4j.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/*
 * Part 3 of tck/SPEC.md, cancellation and scopes (clauses 3.01 - 3.11): cancellation at each park
 * point, the scope policies, deadlines and nesting, on the backend's dispatcher, in both process
 * modes. Scopes are opened inside go blocks where the clause is about parking on the backend.
 */

/**
 * Part 3 of the TCK, cancellation and structured scopes: clauses 3.01 to 3.11 of
 * {@code tck/SPEC.md}, each in both {@link ProcessMode}s. Includes Parts 1 and 2 up to alts; see
 * {@link TckSupport}.
 */
public abstract class CancellationVerification extends AltsVerification {

    /** Constructor for subclasses. */
    protected CancellationVerification() {}

    private static final Duration FOREVER = Duration.ofMinutes(10);

    /** Waits until {@code t} has ended. */
    private static void awaitEnd(Task<?> t) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (t.state() == Task.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " did not end within " + PATIENCE.toSeconds() + " s");
            }
            sleepQuietly(1);
        }
    }

    /** Gets {@code f}'s value within {@link #PATIENCE}, failing the clause otherwise. */
    private static <T> T within(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the go block failed", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError("no result within " + PATIENCE.toSeconds() + " s", e);
        }
    }

    /** 3.01: a cancelled take is withdrawn: the value it would have taken stays in the channel. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec301_aCancelledTakeLeavesTheValueInTheChannel(ProcessMode mode) {
        useEngine(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> c = chan();
            Chan<Integer> parked = chan(1);
            try (Scope scope = Scope.open()) {
                Task<Integer> t = scope.go(() -> {
                    parked.put(1);
                    return c.take();
                });
                takeWithin(parked);
                sleepQuietly(5);
                assertTrue(t.cancel());
                awaitEnd(t);
                assertEquals(Task.State.CANCELLED, t.state());
                assertInstanceOf(ProcessCancelledException.class, t.exception());
                assertFalse(c.offer(round), "no taker is left on the channel");
                Chan<Integer> next = go(c::take);
                c.putAsync(round);
                assertEquals(round, takeWithin(next), "the next taker gets the value");
            }
        }
    }

    /** 3.02: a cancelled put is withdrawn: the value stays with the putter. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec302_aCancelledPutKeepsItsValue(ProcessMode mode) {
        useEngine(mode);
        for (int round = 0; round < 20; round++) {
            int v = round;
            Chan<Integer> c = chan(round % 2 == 0 ? 0 : 1);
            if (round % 2 == 1) {
                c.offer(-1); // fill the buffer of 1
            }
            Chan<Integer> parked = chan(1);
            Chan<Integer> kept = chan(1);
            try (Scope scope = Scope.open()) {
                Task<Void> t = scope.go(() -> {
                    parked.put(1);
                    try {
                        c.put(v);
                    } catch (ProcessCancelledException e) {
                        nonCancellable(() -> kept.put(v));
                        throw e;
                    }
                });
                takeWithin(parked);
                sleepQuietly(5);
                t.cancel();
                awaitEnd(t);
                assertEquals(Task.State.CANCELLED, t.state());
                assertEquals(v, takeWithin(kept));
                if (round % 2 == 1) {
                    assertEquals(-1, c.poll());
                }
                assertNull(c.poll(), "the withdrawn put left nothing in the channel");
            }
        }
    }

    /** 3.03: a cancelled alts commits to none of its operations. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec303_aCancelledAltsCommitsToNone(ProcessMode mode) {
        useEngine(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> in = chan();
            Chan<Integer> out = chan();
            Chan<Integer> parked = chan(1);
            try (Scope scope = Scope.open()) {
                Task<Object> t = scope.go(() -> {
                    parked.put(1);
                    return alts(takeOp(in), putOp(out, 1), takeOp(timeout(FOREVER))).value();
                });
                takeWithin(parked);
                sleepQuietly(5);
                t.cancel();
                awaitEnd(t);
                assertEquals(Task.State.CANCELLED, t.state());
                assertFalse(in.offer(5), "no take left on in");
                assertNull(out.poll(), "no put left on out");
            }
        }
    }

    /** 3.04: cancelled sleep and await end at once; a stage completed later wakes nobody. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec304_aCancelledSleepOrAwaitEndsAtOnce(ProcessMode mode) {
        useEngine(mode);
        CompletableFuture<String> never = new CompletableFuture<>();
        try (Scope scope = Scope.open()) {
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(scope.go(() -> sleep(FOREVER)));
                tasks.add(scope.go(() -> Csp.await(never)));
            }
            sleepQuietly(50);
            long t0 = System.nanoTime();
            tasks.forEach(Task::cancel);
            tasks.forEach(CancellationVerification::awaitEnd);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
            for (Task<?> t : tasks) {
                assertEquals(Task.State.CANCELLED, t.state(), t.toString());
            }
            never.complete("late");
        }
    }

    /**
     * 3.05: cancellation is sticky (every later park point throws again, also {@code checkCancelled});
     * parks inside {@code nonCancellable} wait normally.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec305_cancellationIsStickyButNonCancellableBlocksPark(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> never = chan();
        Chan<String> bye = chan();
        Chan<Integer> parked = chan(1);
        AtomicInteger caught = new AtomicInteger();
        try (Scope scope = Scope.open()) {
            Task<Void> t = scope.go(() -> {
                parked.put(1);
                for (int i = 0; i < 3; i++) {
                    try {
                        never.take();
                    } catch (ProcessCancelledException swallowed) {
                        caught.incrementAndGet();
                    }
                }
                nonCancellable(() -> bye.put("bye"));
                checkCancelled();
            });
            takeWithin(parked);
            sleepQuietly(5);
            t.cancel();
            assertEquals("bye", takeWithin(bye));
            awaitEnd(t);
            assertEquals(3, caught.get());
            assertEquals(Task.State.CANCELLED, t.state());
        }
    }

    /**
     * 3.06: all must succeed: the first real failure cancels the siblings and is rethrown by join;
     * a failure raised while cancelling is attached as suppressed; sibling cancellations are not.
     * Joined inside a go block.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec306_theFirstFailureCancelsTheSiblings(ProcessMode mode) {
        useEngine(mode);
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException late = new IllegalArgumentException("raised while cancelling");
        Chan<Integer> never = chan();
        Throwable thrown = within(goFuture(() -> {
            try (Scope scope = Scope.open()) {
                for (int i = 0; i < 5; i++) {
                    scope.go(never::take);
                }
                scope.go(() -> {
                    try {
                        never.take();
                    } catch (ProcessCancelledException e) {
                        throw late;
                    }
                });
                scope.go(() -> {
                    sleep(20);
                    throw first;
                });
                return assertThrows(IllegalStateException.class, scope::join);
            }
        }));
        assertSame(first, thrown);
        assertEquals(List.of(late), List.of(thrown.getSuppressed()));
        assertFalse(never.offer(1), "every cancelled take was withdrawn");
    }

    /** 3.07: first success wins; the others are cancelled; if all fail, the first failure is thrown. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec307_theFirstSuccessWins(ProcessMode mode) {
        useEngine(mode);
        List<Task<String>> tasks = new ArrayList<>();
        String winner = within(goFuture(() -> {
            try (FirstSuccess<String> race = Scope.firstSuccess()) {
                tasks.add(race.go(() -> {
                    sleep(FOREVER);
                    return "slow";
                }));
                tasks.add(race.go(() -> {
                    sleep(10);
                    return "fast";
                }));
                return race.join();
            }
        }));
        assertEquals("fast", winner);
        assertEquals(Task.State.CANCELLED, tasks.get(0).state());
        RuntimeException allFailed = within(goFuture(() -> {
            try (FirstSuccess<String> race = Scope.firstSuccess()) {
                race.go(() -> {
                    throw new IllegalStateException("a");
                });
                race.go(() -> {
                    sleep(10);
                    throw new IllegalStateException("b");
                });
                return assertThrows(IllegalStateException.class, race::join);
            }
        }));
        assertEquals("a", allFailed.getMessage());
        assertEquals("b", allFailed.getSuppressed()[0].getMessage());
    }

    /**
     * 3.08: a scope's deadline cancels everything in it; join throws DeadlineExceededException,
     * which is not a CancellationException; a process that finished in time keeps its result.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec308_theDeadlineCancelsTheWholeScope(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> never = chan();
        List<Task<?>> tasks = new ArrayList<>();
        long t0 = System.nanoTime();
        RuntimeException e = within(goFuture(() -> {
            try (Scope scope = Scope.open(Duration.ofMillis(50))) {
                tasks.add(scope.go(never::take));
                tasks.add(scope.go(() -> sleep(FOREVER)));
                tasks.add(scope.go(() -> 42));
                return assertThrows(RuntimeException.class, scope::join);
            }
        }));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertInstanceOf(DeadlineExceededException.class, e);
        assertFalse(e instanceof CancellationException, "a timeout is its own type");
        assertTrue(ms >= 45, "not before the deadline: " + ms + " ms");
        assertEquals(Task.State.CANCELLED, tasks.get(0).state());
        assertEquals(Task.State.CANCELLED, tasks.get(1).state());
        assertEquals(42, tasks.get(2).get());
        assertNull(within(goFuture(() -> Csp.withTimeoutOrNull(Duration.ofMillis(10), never::take))));
        assertFalse(never.offer(1));
    }

    /** 3.09: scopes nest: cancelling a process cancels the processes of the scopes it opened. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec309_scopesNest(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> never = chan();
        Chan<Integer> innerParked = chan(3);
        AtomicInteger innerCancelled = new AtomicInteger();
        try (Scope outer = Scope.open()) {
            Task<Void> owner = outer.go(() -> {
                try (Scope inner = Scope.open()) {
                    for (int i = 0; i < 3; i++) {
                        inner.go(() -> {
                            innerParked.put(1);
                            try {
                                never.take();
                            } finally {
                                innerCancelled.incrementAndGet();
                            }
                        });
                    }
                    never.take();
                    inner.join();
                }
            });
            for (int i = 0; i < 3; i++) {
                takeWithin(innerParked);
            }
            sleepQuietly(5);
            owner.cancel();
            awaitEnd(owner);
            assertEquals(3, innerCancelled.get(), "the inner processes ended before their owner");
            assertEquals(Task.State.CANCELLED, owner.state());
        }
        assertFalse(never.offer(1));
    }

    /** 3.10: join inside go blocks parks: 500 go blocks join scopes whose processes need the lanes. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec310_joinParksAndLeavesTheLanesFree(ProcessMode mode) {
        useEngine(mode);
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
        for (int i = 0; i < n; i++) {
            gate.putAsync(0);
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += takeWithin(results);
        }
        assertEquals((long) n * (n - 1) / 2, sum);
    }

    /**
     * 3.11: 10,000 / 100,000 random cancellations of producers and consumers on one channel (a
     * quarter of them in an {@code alts} with a channel that is never ready) lose and duplicate nothing: every value is either kept by its cancelled producer or was put, and every
     * value put was taken by exactly one consumer or is still in the buffer.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec311_randomCancellationsLoseNothing(ProcessMode mode) {
        useEngine(mode);
        int target = Scale.of(10_000, 100_000);
        int perRound = 2_000;
        Random rnd = new Random(mode.ordinal() * 31L + 7);
        int cancels = 0;
        for (int round = 0; cancels < target; round++) {
            int bufSize = round % 3 == 0 ? 0 : round % 3 == 1 ? 1 : 16;
            Chan<Integer> ch = chan(bufSize);
            Chan<Integer> idle = chan(); // never ready: the other operation of each alts
            List<Task<Boolean>> producers = new ArrayList<>(perRound);
            List<Task<Integer>> consumers = new ArrayList<>(perRound);
            List<Task<?>> all = new ArrayList<>(2 * perRound);
            List<Integer> order = new ArrayList<>(2 * perRound);
            for (int i = 0; i < 2 * perRound; i++) {
                order.add(i);
            }
            Collections.shuffle(order, rnd);
            Scope scope = Scope.open();
            try {
                for (int op : order) {
                    boolean viaAlts = rnd.nextInt(4) == 0; // a quarter of the operations are alts
                    if (op < perRound) {
                        int v = op;
                        Task<Boolean> p = scope.go(String.valueOf(v), viaAlts // named by its value
                                ? () -> (Boolean) alts(putOp(ch, v), takeOp(idle)).value()
                                : () -> ch.put(v));
                        producers.add(p);
                        all.add(p);
                    } else {
                        Task<Integer> c = scope.go(viaAlts
                                ? () -> (Integer) alts(takeOp(ch), takeOp(idle)).value()
                                : () -> ch.take());
                        consumers.add(c);
                        all.add(c);
                    }
                    if (rnd.nextBoolean()) {
                        all.get(rnd.nextInt(all.size())).cancel();
                        cancels++;
                    }
                    if (rnd.nextInt(64) == 0) {
                        Thread.yield();
                    }
                }
            } finally {
                scope.close(); // cancels whoever is still parked, and waits
            }
            BitSet put = new BitSet();
            BitSet kept = new BitSet();
            for (int i = 0; i < producers.size(); i++) {
                Task<Boolean> p = producers.get(i);
                int v = Integer.parseInt(p.name());
                if (p.state() == Task.State.SUCCEEDED) {
                    assertTrue(p.get(), "the channel was never closed");
                    put.set(v);
                } else {
                    assertEquals(Task.State.CANCELLED, p.state(), p + " " + p.exception());
                    kept.set(v);
                }
            }
            BitSet got = new BitSet();
            for (Task<Integer> c : consumers) {
                if (c.state() == Task.State.SUCCEEDED) {
                    int v = c.get();
                    assertFalse(got.get(v), "value " + v + " taken twice");
                    got.set(v);
                } else {
                    assertEquals(Task.State.CANCELLED, c.state(), c + " " + c.exception());
                }
            }
            for (Integer v; (v = ch.poll()) != null; ) {
                assertFalse(got.get(v), "value " + v + " both taken and still buffered");
                got.set(v);
            }
            assertFalse(put.intersects(kept), "a value both put and kept");
            assertEquals(put, got, "every value put was taken exactly once (or is still buffered)");
            BitSet every = (BitSet) put.clone();
            every.or(kept);
            assertEquals(perRound, every.cardinality(), "every value is accounted for");
        }
    }
}
