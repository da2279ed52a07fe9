package io.csp4j.reliability;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.altsWithin;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.promiseChan;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.timeout;
import static io.csp4j.Csp.useProcessMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.ProcessMode;
import io.csp4j.internal.ManyToManyChannel;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing is retained by operations that are over: {@code alts} with timeouts leave no handler in
 * the channels they lost on and no timer behind; processes abandoned while parked on channels
 * nobody else can reach are garbage, with their channels.
 *
 * <p>Measured as used heap after {@code System.gc()} three times, before and after, with a
 * tolerance of {@value #TOLERANCE_MB} MB, and with {@link WeakReference}s that must clear. The
 * engine's diagnostic counters ({@link ManyToManyChannel#pendingTakes()}) show that no handler is
 * left on a shared channel that never became ready.
 */
@Tag("stress")
class LeakTest {

    static final int TOLERANCE_MB = 20;

    /** Issue 18's target for 1,000,000 lost timeouts. */
    static final int TIMEOUT_TOLERANCE_MB = 16;

    /**
     * Lost timeouts in the short (CI) form, 1,000,000 with {@code -Dcsp4j.stress=long}: 200,000 take
     * about 2 s and grew the heap by 66 MB before issue 18 was fixed, so the short form still fails
     * on the old behaviour.
     */
    static final int LOST_TIMEOUTS = Reliability.scaled(200_000, 1_000_000);

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void altsWithTimeoutsLeaveNoHandlerAndNoTimerBehind(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(100_000, 1_000_000);
        Chan<Integer> never = chan(); // every alts registers here and loses
        Chan<Integer> ready = promiseChan();
        ready.put(1);
        warmUp(mode);
        long before = Reliability.usedHeapAfterGc();
        long started = System.nanoTime();
        int processes = 8;
        List<CompletableFuture<WeakReference<Chan<Object>>>> fs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            fs.add(goFuture(() -> {
                WeakReference<Chan<Object>> lastTimeout = null;
                for (int i = 0; i < n / processes; i++) {
                    Chan<Object> t = timeout(1);
                    AltResult r = alts(takeOp(never), takeOp(t), takeOp(ready));
                    if (!r.from(ready) && !r.from(t)) {
                        throw new AssertionError("never is never ready: " + r);
                    }
                    lastTimeout = new WeakReference<>(t);
                }
                return lastTimeout;
            }));
        }
        List<WeakReference<Chan<Object>>> refs = new ArrayList<>();
        for (CompletableFuture<WeakReference<Chan<Object>>> f : fs) {
            refs.add(f.get(120, TimeUnit.SECONDS));
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, ((ManyToManyChannel<Integer>) never).pendingTakes(), "a losing alts left a handler on never");
        Thread.sleep(100); // every 1 ms timer has fired by now
        for (WeakReference<Chan<Object>> ref : refs) {
            assertTrue(Reliability.collected(ref, Duration.ofSeconds(10)), "a timeout channel is still reachable");
        }
        long after = Reliability.usedHeapAfterGc();
        System.out.printf("leak: %d alts with timeouts (%s) in %d ms, heap %s -> %s%n", n, mode, ms,
                Reliability.mb(before), Reliability.mb(after));
        assertTrue(after - before < TOLERANCE_MB * 1_048_576L,
                () -> "heap grew from " + Reliability.mb(before) + " to " + Reliability.mb(after));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void altsWonByTheirTimeoutLeaveNoHandlerBehind(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(20_000, 200_000);
        Chan<Integer> never = chan();
        Chan<Integer> neverBuffered = chan(4);
        int processes = 32;
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            fs.add(goFuture(() -> {
                int timedOut = 0;
                for (int i = 0; i < n / processes; i++) {
                    Chan<Object> t = timeout(0);
                    AltResult r = alts(takeOp(never), takeOp(neverBuffered), takeOp(t));
                    timedOut += r.from(t) ? 1 : 0;
                }
                return timedOut;
            }));
        }
        int total = 0;
        for (CompletableFuture<Integer> f : fs) {
            total += f.get(120, TimeUnit.SECONDS);
        }
        assertEquals(n / processes * processes, total, "every alts was won by its timeout");
        assertEquals(0, ((ManyToManyChannel<Integer>) never).pendingTakes());
        assertEquals(0, ((ManyToManyChannel<Integer>) neverBuffered).pendingTakes());
        assertTrue(neverBuffered.offer(1), "neverBuffered still works");
        assertEquals(1, neverBuffered.poll());
    }

    /**
     * Issue 18, the loop of Go's pre-1.23 leak: {@code alts(d, timeout(60_000))} where {@code d} is
     * ready at once, so every timeout is lost and nobody can ever read it. Before the fix each kept
     * its armed timer and channel for a minute (327 bytes per iteration on this backend); now the
     * channels are collected and their entries leave the engine's timeout queue, which keeps one
     * dispatcher timer. The same loop runs on Vert.x and Netty in their modules
     * ({@code TimeoutLeakTest}, through the TCK's {@code TimeoutLeaks}).
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void lostTimeoutsCostNothing(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = LOST_TIMEOUTS;
        warmUp(mode);
        long before = Reliability.usedHeapAfterGc();
        long started = System.nanoTime();
        long sum = goFuture(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                Chan<Integer> d = chan(1);
                d.put(i);
                AltResult r = alts(d, timeout(60_000)); // the take wins at once; nothing refers to the timeout
                s += (Integer) r.value();
            }
            return s;
        }).get(300, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals((long) n * (n - 1) / 2, sum, "every take won, with its own value");
        // The entries leave the queue after the collection that finds their channels dead: at the
        // first reading the reaper may still be at work.
        long first = Reliability.usedHeapAfterGc();
        long t1 = System.nanoTime();
        long after = Reliability.usedHeapAfterGcBelow(before + TIMEOUT_TOLERANCE_MB * 1_048_576L, Duration.ofSeconds(30));
        System.out.printf("leak: %d lost timeouts (forkjoin, %s) in %d ms, heap %s -> %s (first reading %s, %d ms"
                + " before the last)%n", n, mode, ms, Reliability.mb(before), Reliability.mb(after), Reliability.mb(first),
                (System.nanoTime() - t1) / 1_000_000);
        assertTrue(after - before < TIMEOUT_TOLERANCE_MB * 1_048_576L,
                () -> "heap grew from " + Reliability.mb(before) + " to " + Reliability.mb(after));
    }

    /**
     * {@code altsWithin}'s deadline is cancelled when an operation wins: a consumer that parks in
     * {@code altsWithin(60 s, c)} for every value of a producer leaves no armed timer behind.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void altsWithinLeavesNoTimerBehind(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = LOST_TIMEOUTS;
        warmUp(mode);
        long before = Reliability.usedHeapAfterGc();
        long started = System.nanoTime();
        Chan<Integer> c = chan();
        go(() -> {
            for (int i = 0; i < n; i++) {
                c.put(i);
            }
        });
        long sum = goFuture(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                AltResult r = altsWithin(Duration.ofSeconds(60), c);
                if (r.isTimedOut()) {
                    throw new AssertionError("a 60 s deadline passed");
                }
                s += (Integer) r.value();
            }
            return s;
        }).get(300, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals((long) n * (n - 1) / 2, sum);
        long after = Reliability.usedHeapAfterGc(); // nothing to wait for: every timer was cancelled in alts
        System.out.printf("leak: %d altsWithin won by a take (forkjoin, %s) in %d ms, heap %s -> %s%n", n, mode, ms,
                Reliability.mb(before), Reliability.mb(after));
        assertTrue(after - before < TIMEOUT_TOLERANCE_MB * 1_048_576L,
                () -> "heap grew from " + Reliability.mb(before) + " to " + Reliability.mb(after));
    }

    @Test
    void loopProcessesAbandonedOnUnreachableChannelsAreCollected() throws Exception {
        abandonedProcessesAreCollected(ProcessMode.LOOP);
    }

    /**
     * In virtual mode a parked go block is a parked virtual thread, and the JDK keeps every virtual
     * thread started with {@code Thread.ofVirtual()} in its root thread container while
     * {@code jdk.trackAllThreads} is true (the default, for thread dumps): the thread, its stack and
     * the channels on it stay reachable for ever. Measured here: 100,000 abandoned processes keep
     * about 200 MB; with {@code -Djdk.trackAllThreads=false} this test passes (heap flat).
     */
    @Disabled("engine limitation: in VIRTUAL mode an abandoned parked go block is never collected while"
            + " jdk.trackAllThreads=true (the JDK default); passes with -Djdk.trackAllThreads=false")
    @Test
    void virtualProcessesAbandonedOnUnreachableChannelsAreCollected() throws Exception {
        abandonedProcessesAreCollected(ProcessMode.VIRTUAL);
    }

    private static void abandonedProcessesAreCollected(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(100_000, 100_000);
        warmUp(mode);
        long before = Reliability.usedHeapAfterGc();
        List<WeakReference<Object>> sample = new ArrayList<>();
        CountDownLatch parking = new CountDownLatch(n);
        startAbandoned(n, parking, sample);
        assertTrue(parking.await(120, TimeUnit.SECONDS), "every process started");
        Thread.sleep(200); // let the last ones park
        long parked = Reliability.usedHeapAfterGc();
        for (WeakReference<Object> ref : sample) {
            assertTrue(Reliability.collected(ref, Duration.ofSeconds(10)),
                    () -> mode + ": an abandoned process's channel (or the process) is still reachable");
        }
        long after = Reliability.usedHeapAfterGc();
        System.out.printf("leak: %d abandoned parked processes (%s): heap %s before, %s after parking, %s now%n",
                n, mode, Reliability.mb(before), Reliability.mb(parked), Reliability.mb(after));
        assertTrue(after - before < TOLERANCE_MB * 1_048_576L,
                () -> "heap grew from " + Reliability.mb(before) + " to " + Reliability.mb(after));
    }

    /** Starts {@code n} processes that park for ever: a take, a put, an alts, on channels only they know. */
    private static void startAbandoned(int n, CountDownLatch parking, List<WeakReference<Object>> sample) {
        for (int i = 0; i < n; i++) {
            Chan<Integer> a = chan();
            Chan<Integer> b = chan(1);
            int kind = i % 3;
            Chan<Void> result = go(() -> {
                parking.countDown();
                switch (kind) {
                    case 0 -> a.take();
                    case 1 -> a.put(1);
                    default -> alts(a, b);
                }
            });
            if (i % 1_000 == 0) {
                sample.add(new WeakReference<>(a));
                sample.add(new WeakReference<>(result));
            }
        }
    }

    /** Runs the measured code path once so that class loading and JIT do not count as growth. */
    private static void warmUp(ProcessMode mode) throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Chan<Integer> c = chan();
            go(() -> c.take());
            c.put(i);
            alts(takeOp(chan()), takeOp(timeout(0)));
        }
        assertEquals(mode, io.csp4j.Csp.processMode());
    }
}
