package io.csp4j.reliability;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.altsPriority;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.useProcessMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltResult;
import io.csp4j.Buffer;
import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.Channel;
import io.csp4j.Csp;
import io.csp4j.CspInterruptedException;
import io.csp4j.ProcessMode;
import io.csp4j.ReadPort;
import io.csp4j.Xform;
import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults injected around the engine, in both process modes: a dispatcher whose tasks throw after
 * running, an uncaught-exception handler that throws, callbacks and transformations that throw,
 * processes that throw while (or right after) they are in an {@code alts}, a buffer that throws.
 *
 * <p>After each fault: no channel is corrupted (later operations work, and every value is
 * accounted for exactly), no other process stalls, and each error reaches the handler set with
 * {@link Csp#setUncaughtExceptionHandler} exactly once.
 */
class FaultInjectionTest {

    private static final long WAIT_S = 30;

    private final ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void collectErrors() {
        Csp.setUncaughtExceptionHandler(reported::add);
    }

    @AfterEach
    void restoreHandler() {
        Csp.setUncaughtExceptionHandler(null);
    }

    /** Every value 0..n-1 through a chain of relays and back, on a dispatcher whose tasks throw after running. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aDispatcherWhoseTasksThrowAfterRunningCorruptsNothing(ProcessMode mode) throws Exception {
        AtomicLong dispatcherErrors = new AtomicLong();
        ForkJoinDispatcher real = new ForkJoinDispatcher(2, (t, e) -> dispatcherErrors.incrementAndGet());
        ThrowingAfterRun faulty = new ThrowingAfterRun(real, 3);
        Dispatcher previous = Csp.useDispatcher(faulty);
        try {
            useProcessMode(mode);
            int n = Reliability.scaled(20_000, 500_000);
            Chan<Integer> first = chan();
            Chan<Integer> in = first;
            for (int r = 0; r < 8; r++) {
                Chan<Integer> from = in;
                Chan<Integer> to = r % 2 == 0 ? chan() : chan(4);
                go(() -> {
                    for (Integer v; (v = from.take()) != null; ) {
                        to.put(v);
                    }
                    to.close();
                });
                in = to;
            }
            Chan<Integer> last = in;
            CompletableFuture<BitSet> sink = goFuture(() -> {
                BitSet seen = new BitSet(n);
                for (Integer v; (v = last.take()) != null; ) {
                    assertFalse(seen.get(v), "duplicate " + v);
                    seen.set(v);
                }
                return seen;
            });
            goFuture(() -> {
                for (int i = 0; i < n; i++) {
                    first.put(i);
                }
                first.close();
            });
            // Async operations and timers on the same faulty dispatcher.
            List<CompletableFuture<Integer>> asyncTakes = new ArrayList<>();
            Chan<Integer> side = chan(16);
            for (int i = 0; i < 1_000; i++) {
                asyncTakes.add(side.takeAsync().toCompletableFuture());
                side.putAsync(i);
            }
            AltResult timedOut = alts(takeOp(chan()), takeOp(Csp.timeout(5)));
            assertNull(timedOut.value(), "the timeout fired through the faulty dispatcher");

            BitSet seen = sink.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(n, seen.cardinality(), "every value through 8 relays");
            long sum = 0;
            for (CompletableFuture<Integer> f : asyncTakes) {
                sum += f.get(WAIT_S, TimeUnit.SECONDS);
            }
            assertEquals(999L * 1000 / 2, sum, "every async put met one async take");
            assertTrue(faulty.thrown.get() > 0);
            assertTrue(Reliability.eventually(() -> dispatcherErrors.get() == faulty.thrown.get(), Duration.ofSeconds(5)),
                    () -> "each injected failure reported once by the dispatcher: " + dispatcherErrors.get() + " vs "
                            + faulty.thrown.get());
            assertTrue(reported.isEmpty(), () -> "the engine saw no error of its own: " + reported);
            System.out.printf("faulty dispatcher %s: %d values, %d injected task failures%n", mode, n, faulty.thrown.get());
        } finally {
            Csp.useDispatcher(previous);
            real.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aThrowingUncaughtHandlerStopsNothing(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        AtomicLong calls = new AtomicLong();
        Csp.setUncaughtExceptionHandler(t -> {
            calls.incrementAndGet();
            throw new IllegalStateException("the handler itself fails");
        });
        int n = 1_000;
        List<Chan<Object>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            results.add(go(() -> {
                if (k % 2 == 0) {
                    throw new IllegalArgumentException("boom " + k);
                }
                return k;
            }));
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Object v = results.get(i).take();
            if (i % 2 == 0) {
                assertNull(v, "a failed go block's channel closes");
            } else {
                sum += (Integer) v;
            }
            assertNull(results.get(i).take(), "then it closes");
        }
        assertEquals(250_000L, sum);
        assertTrue(Reliability.eventually(() -> calls.get() == n / 2, Duration.ofSeconds(5)), () -> "calls: " + calls);
    }

    @Test
    void callbacksThatThrowAreReportedAndTheChannelGoesOn() throws Exception {
        int n = Reliability.scaled(10_000, 200_000);
        Chan<Integer> ch = chan(8);
        AtomicLong taken = new AtomicLong();
        CountDownLatch callbacks = new CountDownLatch(2 * n);
        for (int i = 0; i < n; i++) {
            ch.takeAsync(v -> {
                taken.addAndGet(v);
                callbacks.countDown();
                throw new IllegalStateException("take callback " + v);
            });
            ch.putAsync(i, ok -> {
                callbacks.countDown();
                throw new IllegalStateException("put callback " + ok);
            });
        }
        assertTrue(callbacks.await(WAIT_S, TimeUnit.SECONDS), "every callback ran");
        assertEquals((long) n * (n - 1) / 2, taken.get(), "every value taken once");
        assertTrue(Reliability.eventually(() -> reported.size() == 2 * n, Duration.ofSeconds(5)),
                () -> "each callback's exception reported once: " + reported.size());
        // The channel is intact.
        assertTrue(ch.offer(7));
        assertEquals(7, ch.poll());
        ch.close();
        assertNull(ch.poll());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aThrowingTransformationDropsOnlyTheBadValues(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(20_000, 500_000);
        Channel<Integer, Integer> ch = chan(16, Xform.<Integer, Integer>map(v -> {
            if (v % 7 == 0) {
                throw new ArithmeticException("no multiples of 7: " + v);
            }
            return v;
        }));
        Channel<Integer, Integer> handled = Csp.chan(Buffers.fixed(16), Xform.<Integer, Integer>map(v -> {
            if (v % 7 == 0) {
                throw new ArithmeticException("no multiples of 7: " + v);
            }
            return v;
        }), e -> -1);
        int producers = 4;
        for (Channel<Integer, Integer> c : List.of(ch, handled)) {
            List<CompletableFuture<Void>> ps = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                ps.add(goFuture(() -> {
                    for (int i = id; i < n; i += producers) {
                        assertTrue(c.put(i));
                    }
                }));
            }
            CompletableFuture<int[]> consumer = goFuture(() -> {
                int[] counts = new int[n + 1];
                for (Integer v; (v = c.take()) != null; ) {
                    counts[v == -1 ? n : v]++;
                }
                return counts;
            });
            CompletableFuture.allOf(ps.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS);
            c.close();
            int[] counts = consumer.get(WAIT_S, TimeUnit.SECONDS);
            int multiples = (n + 6) / 7;
            for (int i = 0; i < n; i++) {
                assertEquals(i % 7 == 0 ? 0 : 1, counts[i], "value " + i);
            }
            assertEquals(c == handled ? multiples : 0, counts[n], "the ex-handler's replacements");
        }
        int multiples = (n + 6) / 7;
        assertTrue(Reliability.eventually(() -> reported.size() == multiples, Duration.ofSeconds(5)),
                () -> "only the channel without an ex-handler reports, once per bad value: " + reported.size());
        reported.forEach(t -> assertInstanceOf(ArithmeticException.class, t));
    }

    /**
     * Processes that throw right after an {@code alts} won a value: the value is theirs (counted),
     * the error is reported once, and the other processes over the same channels go on.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void processesThatThrowAfterAltsStallNobody(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(20_000, 500_000);
        List<Chan<Integer>> cs = List.of(chan(), chan(2), chan());
        AtomicLong lostToThrowers = new AtomicLong();
        AtomicLong sumLost = new AtomicLong();
        int throwers = 200;
        CountDownLatch throwersStarted = new CountDownLatch(throwers);
        for (int t = 0; t < throwers; t++) {
            go(() -> {
                throwersStarted.countDown();
                AltResult r = alts(cs.get(0), cs.get(1), cs.get(2));
                Integer v = r.valueAs();
                lostToThrowers.incrementAndGet();
                sumLost.addAndGet(v);
                throw new IllegalStateException("thrower got " + v);
            });
        }
        List<CompletableFuture<Long>> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            consumers.add(goFuture(() -> {
                long sum = 0;
                while (true) {
                    AltResult r = alts(cs.get(0), cs.get(1), cs.get(2));
                    if (r.value() == null) {
                        return sum; // one closed: all are, the producer closes them together
                    }
                    sum += (Integer) r.value();
                }
            }));
        }
        goFuture(() -> {
            for (int i = 1; i <= n; i++) {
                cs.get(i % 3).put(i);
            }
            cs.forEach(Chan::close);
        });
        long received = 0;
        for (CompletableFuture<Long> f : consumers) {
            received += f.get(WAIT_S, TimeUnit.SECONDS);
        }
        // Every thrower got exactly one value (n is much larger than the number of throwers).
        assertTrue(Reliability.eventually(() -> lostToThrowers.get() == throwers, Duration.ofSeconds(5)));
        assertEquals((long) n * (n + 1) / 2, received + sumLost.get(), "every value went to a consumer or a thrower");
        assertTrue(Reliability.eventually(() -> reported.size() == throwers, Duration.ofSeconds(5)),
                () -> "each thrower reported once: " + reported.size());
    }

    /**
     * A virtual-mode process interrupted while parked in {@code alts}: the alts throws
     * {@link CspInterruptedException} inside the process, withdraws from every channel, and the
     * process's error reaches the handler. Nothing it was waiting on keeps a handler of it.
     */
    @Test
    void aProcessInterruptedInAltsWithdrawsFromEveryChannel() throws Exception {
        useProcessMode(ProcessMode.VIRTUAL);
        int rounds = Reliability.scaled(500, 10_000);
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> a = chan();
            Chan<Integer> b = chan(1);
            AtomicReference<Thread> self = new AtomicReference<>();
            CompletableFuture<Object> p = goFuture(() -> {
                self.set(Thread.currentThread());
                return alts(a, b);
            });
            // Wait until the alts is registered on both channels (an offer would then be taken).
            assertTrue(Reliability.eventually(() -> self.get() != null
                    && self.get().getState() == Thread.State.WAITING, Duration.ofSeconds(5)));
            self.get().interrupt();
            Throwable e = assertThrows(Exception.class, () -> p.get(WAIT_S, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(CspInterruptedException.class, e);
            assertFalse(a.offer(1), "no taker left behind on a");
            assertTrue(b.offer(2), "b's buffer is free");
            assertEquals(2, b.poll(), "and nobody took b's value away");
        }
    }

    /**
     * An {@code alts} that throws while registering (its third operation names a port that is not a
     * csp4j channel) must withdraw the operations it had already registered: otherwise a later put
     * hands its value to an alts that no longer exists, and the value is lost.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void anAltsThatThrowsWhileRegisteringLeavesNoHandlerBehind(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        Chan<Integer> a = chan();
        ReadPort<Integer> foreign = new ForeignPort();
        CompletableFuture<Throwable> p = goFuture(() -> {
            try {
                altsPriority(takeOp(a), takeOp(foreign));
                return null;
            } catch (IllegalArgumentException expected) {
                return expected;
            }
        });
        assertInstanceOf(IllegalArgumentException.class, p.get(WAIT_S, TimeUnit.SECONDS));
        assertFalse(a.offer(1), "the failed alts left a taker on a: the value 1 was accepted and is now lost");
    }

    /**
     * The same with the pending-take limit: the second operation's channel already has its maximum
     * of pending takes, so registering there throws; the first operation must not stay behind.
     */
    @Test
    void anAltsOverAFullPendingQueueLeavesNoHandlerBehind() {
        Chan<Integer> a = chan();
        Chan<Integer> crowded = Csp.<Integer>chanBuilder().maxPending(1).build();
        crowded.takeAsync(v -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> altsPriority(takeOp(a), takeOp(crowded)));
        assertTrue(e.getMessage().contains("pending takes"), e.getMessage());
        assertFalse(a.offer(1), "the failed alts left a taker on a: the value 1 was accepted and is now lost");
    }

    /**
     * A user {@link Buffer} that throws from {@code add}: the put fails with that exception, and the
     * channel must stay usable from other threads (its lock released).
     */
    @Test
    void aBufferThatThrowsDoesNotLockTheChannelForever() throws Exception {
        Chan<Integer> ch = Csp.chan(new ThrowingOn13Buffer());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                ch.put(13);
                failed.complete(null);
            } catch (Throwable t) {
                failed.complete(t);
            }
        }).join();
        assertInstanceOf(IllegalStateException.class, failed.get());
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> ch.offer(1),
                r -> Thread.ofPlatform().daemon().start(r));
        assertTrue(other.get(5, TimeUnit.SECONDS), "another thread can still use the channel");
        assertEquals(1, ch.poll());
    }

    // -------------------------------------------------------------------------------- the faults

    /** Wraps a dispatcher: every {@code every}-th task (and timer task) throws after it has run. */
    static final class ThrowingAfterRun implements Dispatcher {
        final AtomicLong count = new AtomicLong();
        final AtomicLong thrown = new AtomicLong();
        private final Dispatcher delegate;
        private final int every;

        ThrowingAfterRun(Dispatcher delegate, int every) {
            this.delegate = delegate;
            this.every = every;
        }

        private Runnable wrap(Runnable task) {
            return () -> {
                task.run();
                if (count.incrementAndGet() % every == 0) {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("injected: a task failed after running");
                }
            };
        }

        @Override
        public String name() {
            return "throwing-" + delegate.name();
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(wrap(task));
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return delegate.schedule(delay, wrap(task));
        }

        @Override
        public Executor lane() {
            // The delegate's lane (one thread, as loop mode needs), with the same injected faults.
            Executor inner = delegate.lane();
            return task -> inner.execute(wrap(task));
        }

        @Override
        public boolean isDispatcherThread() {
            return delegate.isDispatcherThread();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** A {@link ReadPort} that is not a csp4j channel (what {@code alts} must refuse). */
    static final class ForeignPort implements ReadPort<Integer> {
        @Override
        public Integer take() {
            return null;
        }

        @Override
        public Integer poll() {
            return null;
        }

        @Override
        public CompletionStage<Integer> takeAsync() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void takeAsync(Consumer<? super Integer> callback) {
            callback.accept(null);
        }

        @Override
        public void close() {}

        @Override
        public boolean isClosed() {
            return true;
        }
    }

    /** An unbounded buffer that refuses the value 13. */
    static final class ThrowingOn13Buffer implements Buffer<Integer> {
        private final java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public int size() {
            return q.size();
        }

        @Override
        public void add(Integer value) {
            if (value == 13) {
                throw new IllegalStateException("this buffer refuses 13");
            }
            q.addLast(value);
        }

        @Override
        public Integer remove() {
            return q.removeFirst();
        }

        @Override
        public boolean isUnblocking() {
            return true;
        }
    }
}
