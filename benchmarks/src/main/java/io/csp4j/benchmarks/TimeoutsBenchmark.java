package io.csp4j.benchmarks;

import static io.csp4j.Csp.go;
import static io.csp4j.Csp.timeout;

import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W7 (benchmarks/README.md): {@value #PROCESSES} concurrent timeouts, in milliseconds per batch.
 * Each invocation starts {@value #PROCESSES} processes that each wait {@value #MILLIS} ms (csp4j:
 * take from {@code timeout(MILLIS)}; virtual threads: {@code Thread.sleep}; kotlinx: {@code delay})
 * and waits for all of them, so {@value #MILLIS} ms is the floor and the rest is the cost of
 * starting, timing and waking 10,000 waiters. jox has no timers of its own (it uses the JDK's), so
 * it has no entry here.
 *
 * {@snippet :
 * int n = TimeoutsBenchmark.csp4j(100, 5); // 100
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class TimeoutsBenchmark {

    /** Concurrent waiters per invocation. */
    public static final int PROCESSES = 10_000;

    /** How long each waits. */
    public static final int MILLIS = 10;

    /** csp4j {@code timeout} on the backend and mode of {@code b}. */
    @Benchmark
    public int csp4j(Backend b) {
        return csp4j(PROCESSES, MILLIS);
    }

    /** JDK virtual threads in {@code Thread.sleep}. */
    @Benchmark
    public int jdkVirtualThread() {
        return virtualThreads(PROCESSES, MILLIS);
    }

    /** kotlinx.coroutines {@code delay} on {@code Dispatchers.Default}. */
    @Benchmark
    public int kotlinDefault() {
        return KotlinPeers.timeouts(PROCESSES, MILLIS, false);
    }

    /** kotlinx.coroutines {@code delay} on a single-thread dispatcher. */
    @Benchmark
    public int kotlinSingleThread() {
        return KotlinPeers.timeouts(PROCESSES, MILLIS, true);
    }

    /** {@code n} go blocks each taking from {@code timeout(millis)}; returns {@code n} once all woke. */
    public static int csp4j(int n, int millis) {
        CountDownLatch latch = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            go(() -> {
                timeout(millis).take();
                latch.countDown();
            });
        }
        return SpawnBenchmark.await(latch, n);
    }

    /** {@code n} virtual threads each sleeping {@code millis}; returns {@code n} once all woke. */
    public static int virtualThreads(int n, int millis) {
        CountDownLatch latch = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                latch.countDown();
            });
        }
        return SpawnBenchmark.await(latch, n);
    }
}
