package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Regression: loop-mode processes whose continuations moved between ForkJoin workers saw a stale
 * {@code Thread.currentThread()} once C2 had compiled their bodies, which broke the engine's
 * current-process lookup and lock ownership (a put returned null, a process was resumed twice).
 * Lanes are now single threads (docs/adr/0007-single-thread-lanes.md). This test runs enough
 * park/resume cycles for C2 to compile the bodies, on the default multi-loop dispatcher.
 */
class ProcessAffinityRegressionTest extends EngineTestSupport {

    @Test
    void aRingOfProcessesKeepsEachOnOneThreadAndLosesNothing() {
        mode(ProcessMode.LOOP);
        int procs = 8;
        int n = 50_000 * SCALE;
        AtomicLong moves = new AtomicLong();
        @SuppressWarnings("unchecked")
        Chan<Integer>[] cs = new Chan[procs];
        for (int i = 0; i < procs; i++) cs[i] = chan();
        @SuppressWarnings("unchecked")
        Chan<Integer>[] done = new Chan[procs];
        for (int p = 0; p < procs; p++) {
            Chan<Integer> in = cs[p];
            Chan<Integer> out = cs[(p + 1) % procs];
            int id = p;
            done[p] = go(() -> {
                Thread first = Thread.currentThread();
                if (id == 0) out.put(0);
                int last = -1;
                for (int i = 0; i < n; i++) {
                    Integer v = in.take();
                    if (Thread.currentThread() != first) moves.incrementAndGet();
                    last = v;
                    if (i < n - 1 || id != 0) out.put(v + 1);
                }
                return last;
            });
        }
        int last = within(120, () -> done[0].take());
        assertEquals(procs * n - 1, last, "the token went round n times, incremented at every step");
        for (int p = 1; p < procs; p++) {
            int k = p;
            assertEquals(procs * (n - 1) + k - 1, within(30, () -> done[k].take()));
        }
        assertEquals(0, moves.get(), "a process moved between threads");
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void aLongProducerConsumerPairDeliversEveryValue() {
        mode(ProcessMode.LOOP);
        int n = 500_000 * SCALE;
        Chan<Integer> c = chan();
        go(() -> {
            for (int i = 0; i < n; i++) c.put(i);
            c.close();
        });
        long[] countAndSum = within(120, () -> goFuture(() -> {
            long k = 0;
            long sum = 0;
            for (Integer x; (x = c.take()) != null; ) {
                k++;
                sum += x;
            }
            return new long[] {k, sum};
        }).join());
        assertEquals(n, countAndSum[0]);
        assertEquals((long) n * (n - 1) / 2, countAndSum[1]);
        assertTrue(reported.isEmpty(), reported.toString());
    }
}
