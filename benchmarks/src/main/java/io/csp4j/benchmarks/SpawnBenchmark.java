package io.csp4j.benchmarks;

import static io.csp4j.Csp.go;

import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W5 (benchmarks/README.md), spawn cost: nanoseconds per process started, run and ended. Each
 * invocation starts {@value #PROCESSES} processes (virtual threads, coroutines) that each count
 * down one latch, and waits for the latch. The other half of W5, heap per parked process at
 * 100,000 and 1,000,000, is {@link HeapPerProcess} (a main of its own: heap deltas do not fit
 * JMH's timing loop).
 *
 * {@snippet :
 * int n = SpawnBenchmark.csp4j(1_000); // 1_000
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class SpawnBenchmark {

    /** Processes per invocation. */
    public static final int PROCESSES = 10_000;

    /** csp4j {@code go} on the backend and mode of {@code b}. */
    @Benchmark
    @OperationsPerInvocation(PROCESSES)
    public int csp4j(Backend b) {
        return csp4j(PROCESSES);
    }

    /** JDK virtual threads ({@code Thread.ofVirtual().start}). */
    @Benchmark
    @OperationsPerInvocation(PROCESSES)
    public int jdkVirtualThread() {
        return virtualThreads(PROCESSES);
    }

    /** kotlinx.coroutines {@code launch} on {@code Dispatchers.Default}. */
    @Benchmark
    @OperationsPerInvocation(PROCESSES)
    public int kotlinDefault() {
        return KotlinPeers.spawn(PROCESSES, false);
    }

    /** kotlinx.coroutines {@code launch} on a single-thread dispatcher. */
    @Benchmark
    @OperationsPerInvocation(PROCESSES)
    public int kotlinSingleThread() {
        return KotlinPeers.spawn(PROCESSES, true);
    }

    /** Starts {@code n} go blocks that count down a latch and waits for all; returns {@code n}. */
    public static int csp4j(int n) {
        CountDownLatch latch = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            go(latch::countDown);
        }
        return await(latch, n);
    }

    /** Starts {@code n} virtual threads that count down a latch and waits for all; returns {@code n}. */
    public static int virtualThreads(int n) {
        CountDownLatch latch = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(latch::countDown);
        }
        return await(latch, n);
    }

    static int await(CountDownLatch latch, int n) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (n - latch.getCount()) + " of " + n
                        + " processes ran within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return n;
    }
}
