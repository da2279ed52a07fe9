package io.csp4j.tck;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.sleep;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/*
 * Part 2 of tck/SPEC.md, processes, timers, async forms and workloads (clauses 2.30 - 2.42), in
 * both process modes. This is the leaf of the verification classes: extending it runs the whole TCK.
 */

/**
 * The whole TCK: Part 1 ({@link DispatcherVerification}), the channel and alts clauses, and the
 * process, timer, async and workload clauses 2.30 to 2.42 of {@code tck/SPEC.md}, each engine clause
 * in both {@link ProcessMode}s. A backend runs it with one small class:
 * {@snippet :
 * class NettyTckTest extends EngineVerification {
 *     @Override
 *     protected Dispatcher createDispatcher() {
 *         return new NettyDispatcher(2);
 *     }
 *
 *     @Override
 *     protected Set<Capability> capabilities() {
 *         return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
 *     }
 * }
 * }
 */
public abstract class EngineVerification extends CancellationVerification {

    /** Constructor for subclasses. */
    protected EngineVerification() {}

    // ------------------------------------------------------------------------------- timers

    /**
     * 2.30: {@code timeout(d)} is a new channel per call, closed (take gives {@code null}) no earlier
     * than {@code d}; {@code timeout(0)} closes soon.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec230_timeoutClosesAfterItsDelay(ProcessMode mode) {
        useEngine(mode);
        assertNotSame(timeout(50), timeout(50), "timeout(d) is a new channel per call");
        Chan<Long> waited = go(() -> {
            long t0 = System.nanoTime();
            Object v = timeout(50).take();
            return v == null ? System.nanoTime() - t0 : -1L;
        });
        long nanos = takeWithin(waited);
        assertTrue(nanos >= Duration.ofMillis(50).toNanos(), "timeout(50 ms) closed after " + nanos / 1e6 + " ms");
        assertNull(takeWithin(timeout(0)), "timeout(0)");
        assertNull(takeWithin(timeout(Duration.ofMillis(-1))), "a negative timeout");
    }

    /** 2.31: {@code sleep(d)} parks a process for at least {@code d}. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec231_sleepParksForItsDelay(ProcessMode mode) {
        useEngine(mode);
        List<Chan<Long>> sleepers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sleepers.add(go(() -> {
                long t0 = System.nanoTime();
                sleep(30);
                return System.nanoTime() - t0;
            }));
        }
        for (Chan<Long> s : sleepers) {
            long nanos = takeWithin(s);
            assertTrue(nanos >= Duration.ofMillis(30).toNanos(), "sleep(30) returned after " + nanos / 1e6 + " ms");
        }
    }

    // ----------------------------------------------------------------------------- processes

    /**
     * 2.32: {@code go(body)} returns a channel that receives the body's non-null result and then
     * closes; a {@code null} result just closes it; the body never runs on the caller's stack.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec232_goDeliversItsResultThenCloses(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> answer = go(() -> 6 * 7);
        assertEquals(42, answer.take());
        assertNull(answer.take(), "the result channel closes after the result");
        Chan<Object> nothing = go(() -> null);
        assertNull(takeWithin(nothing), "a null result closes the channel");
        for (int i = 0; i < 100; i++) {
            Thread caller = Thread.currentThread();
            AtomicBoolean inside = new AtomicBoolean(true);
            Chan<Boolean> inline = go(() -> Thread.currentThread() == caller && inside.get());
            inside.set(false);
            assertEquals(Boolean.FALSE, takeWithin(inline), "go ran its body on the caller's stack");
        }
    }

    /**
     * 2.33: an exception in a go block closes its channel and reaches the uncaught-exception handler;
     * {@code goFuture} completes exceptionally with it.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec233_anExceptionClosesTheChannelAndIsReported(ProcessMode mode) throws Exception {
        useEngine(mode);
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        CountDownLatch seen = new CountDownLatch(1);
        Csp.setUncaughtExceptionHandler(t -> { reported.add(t); seen.countDown(); });
        IllegalStateException boom = new IllegalStateException("boom (clause 2.33)");
        Chan<Integer> failed = go(() -> {
            sleep(1);
            throw boom;
        });
        assertNull(takeWithin(failed), "the channel of a failed go block");
        await(seen, "the report of the go block's exception");
        assertEquals(List.of(boom), reported, "what the uncaught-exception handler received");
        CompletableFuture<Integer> f = goFuture(() -> {
            sleep(1);
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertSame(boom, e.getCause(), "goFuture's exception");
        assertEquals(42, goFuture(() -> 42).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * 2.34: the async forms' callbacks run through the dispatcher, never on the caller's stack, even
     * when the operation completes at once.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec234_asyncCallbacksNeverRunOnTheCallersStack(ProcessMode mode) {
        useEngine(mode);
        List<String> inline = new CopyOnWriteArrayList<>();
        int rounds = 100;
        CountDownLatch done = new CountDownLatch(rounds * 4);
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> c = chan(1);
            watch("putAsync(v, callback) with room in the buffer", cb -> c.putAsync(1, cb), inline, done);
            watch("takeAsync(callback) with a value ready", cb -> c.takeAsync(cb), inline, done);
            Chan<Integer> closed = chan();
            closed.close();
            watch("putAsync(v, callback) on a closed channel", cb -> closed.putAsync(1, cb), inline, done);
            watch("takeAsync(callback) on a closed channel", cb -> closed.takeAsync(cb), inline, done);
        }
        await(done, "the callbacks of clause 2.34");
        assertEquals(List.of(), List.copyOf(new java.util.LinkedHashSet<>(inline)), "callbacks run on the caller's stack");
        Chan<Boolean> fromGo = go(() -> {
            Chan<Integer> c = chan(1);
            Thread me = Thread.currentThread();
            AtomicBoolean insideCall = new AtomicBoolean(true);
            CompletableFuture<Boolean> wasInline = new CompletableFuture<>();
            c.putAsync(1, ok -> wasInline.complete(Thread.currentThread() == me && insideCall.get()));
            insideCall.set(false);
            return Csp.await(wasInline);
        });
        assertEquals(Boolean.FALSE, takeWithin(fromGo), "a callback registered in a go block ran inline");
    }

    private static <T> void watch(String what, Consumer<Consumer<T>> op, List<String> inline, CountDownLatch done) {
        Thread caller = Thread.currentThread();
        AtomicBoolean insideCall = new AtomicBoolean(true);
        op.accept(v -> {
            if (Thread.currentThread() == caller && insideCall.get()) {
                inline.add(what);
            }
            done.countDown();
        });
        insideCall.set(false);
    }

    /**
     * 2.35: a blocking channel operation on a dispatcher thread outside any process throws
     * {@code IllegalStateException} (which names {@code go(...)}) instead of freezing the dispatcher.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec235_blockingOnADispatcherThreadOutsideAProcessFails(ProcessMode mode) {
        useEngine(mode);
        Dispatcher d = sharedDispatcher();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        d.execute(() -> {
            try {
                chan().take();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        Throwable t = thrown.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        assertInstanceOf(IllegalStateException.class, t, "take() on a dispatcher thread outside a process");
        assertTrue(t.getMessage().contains("go("), "the message names go(...): " + t.getMessage());
    }

    /**
     * 2.36 (THREAD_AFFINITY, loop mode): every step of a loop-mode process runs on one and the same
     * dispatcher thread, through parks on channels, timers and other processes.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void optional_spec236_aLoopModeProcessStaysOnItsLaneThread(ProcessMode mode) {
        assumeCapability(Capability.THREAD_AFFINITY);
        org.junit.jupiter.api.Assumptions.assumeTrue(mode == ProcessMode.LOOP,
                "only loop-mode processes run on the dispatcher's threads");
        useEngine(mode);
        Dispatcher d = sharedDispatcher();
        List<Chan<String>> procs = new ArrayList<>();
        Chan<Integer> shared = chan();
        for (int p = 0; p < 20; p++) {
            procs.add(go(() -> {
                Thread first = Thread.currentThread();
                if (!d.isDispatcherThread()) {
                    return "not on a dispatcher thread: " + first;
                }
                for (int i = 0; i < 20; i++) {
                    if (i % 2 == 0) {
                        sleep(1);
                    } else {
                        go(() -> shared.put(1));
                        shared.take();
                    }
                    if (Thread.currentThread() != first) {
                        return "moved from " + first.getName() + " to " + Thread.currentThread().getName();
                    }
                }
                return "ok";
            }));
        }
        for (Chan<String> p : procs) {
            assertEquals("ok", takeWithin(p));
        }
    }

    // ------------------------------------------------------------------------------- workloads

    /** 2.40: ping-pong: two processes bounce a ball 10,000 times (1,000,000 long), strictly alternating. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec240_pingPong(ProcessMode mode) {
        useEngine(mode);
        int hits = Scale.of(10_000, 1_000_000);
        Chan<int[]> table = chan();
        Chan<String> done = chan(2);
        for (int player = 0; player < 2; player++) {
            int me = player;
            go(() -> {
                int parity = -1; // whichever hit a player gets first, it must then get every other one
                for (int[] ball = table.take(); ball != null; ball = table.take()) {
                    if (parity < 0) {
                        parity = ball[0] % 2;
                    } else if (ball[0] % 2 != parity) {
                        done.put("player " + me + " got hit " + ball[0] + " out of turn");
                        table.close();
                        return;
                    }
                    ball[0]++;
                    if (ball[0] == hits) {
                        done.put("ok " + ball[0]);
                        table.close();
                        return;
                    }
                    table.put(ball);
                }
            });
        }
        table.put(new int[1]);
        assertEquals("ok " + hits, takeWithin(done));
    }

    /**
     * 2.41: a daisy chain of 100,000 processes (1,000,000 long), each adding one to what its right
     * neighbour sends, delivers exactly n + 1 and never grows a stack.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec241_aDaisyChainOf100000Processes(ProcessMode mode) {
        useEngine(mode);
        int n = Scale.of(100_000, 1_000_000);
        Chan<Integer> leftmost = chan();
        Chan<Integer> left = leftmost;
        Chan<Integer> right = leftmost;
        for (int i = 0; i < n; i++) {
            right = chan();
            Chan<Integer> l = left;
            Chan<Integer> r = right;
            go(() -> { l.put(1 + r.take()); });
            left = right;
        }
        Chan<Integer> last = right;
        go(() -> { last.put(1); });
        assertEquals(n + 1, takeWithin(leftmost));
    }

    /**
     * 2.42: Go's concurrent prime sieve (a chain of filter processes) yields the first 300 primes
     * (2,000 long), exactly.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec242_thePrimeSieve(ProcessMode mode) {
        useEngine(mode);
        int count = Scale.of(300, 2_000);
        Chan<List<Integer>> sieve = go(() -> {
            Chan<Integer> ch = chan();
            Chan<Integer> gen = ch;
            go(() -> {
                for (int i = 2; gen.put(i); i++) {
                    // until the sieve is closed
                }
            });
            List<Chan<Integer>> stages = new ArrayList<>(List.of(gen));
            List<Integer> primes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int prime = ch.take();
                primes.add(prime);
                Chan<Integer> in = ch;
                Chan<Integer> out = chan();
                go(() -> {
                    for (Integer v = in.take(); v != null; v = in.take()) {
                        if (v % prime != 0 && !out.put(v)) {
                            break;
                        }
                    }
                    in.close();
                    out.close();
                });
                ch = out;
                stages.add(out);
            }
            // Close every stage, then take the one value a filter may have parked on before the close:
            // puts on a closed channel fail, so every filter then ends (no process is left parked).
            for (Chan<Integer> s : stages) {
                s.close();
            }
            for (Chan<Integer> s : stages) {
                s.poll();
            }
            return primes;
        });
        assertEquals(firstPrimes(count), takeWithin(sieve));
    }

    private static List<Integer> firstPrimes(int count) {
        List<Integer> primes = new ArrayList<>();
        for (int n = 2; primes.size() < count; n++) {
            boolean prime = true;
            for (int p : primes) {
                if (p * p > n) {
                    break;
                }
                if (n % p == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                primes.add(n);
            }
        }
        return primes;
    }
}
