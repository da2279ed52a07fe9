package io.csp4j.benchmarks;

import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W2 (benchmarks/README.md): buffered(128), one producer to one consumer, in nanoseconds per item. Each invocation
 * moves {@value #ITEMS} items; the body is {@link BufferedScenario}. Peers: JDK
 * {@code ArrayBlockingQueue(128)}, {@code LinkedTransferQueue} (unbounded) and
 * {@code SynchronousQueue} (no buffer: for reference) on virtual threads, jox and kotlinx
 * channels of 128.
 *
 * {@snippet :
 * long sum = BufferedScenario.csp4j(ITEMS, PRODUCERS, PRODUCERS, BufferedScenario.CAPACITY);
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class BufferedOneToOneBenchmark {

    /** Items per invocation. */
    public static final int ITEMS = 100_000;

    /** Producers, and as many consumers. */
    public static final int PRODUCERS = 1;

    private static final int CAPACITY = BufferedScenario.CAPACITY;

    /** csp4j on the backend and mode of {@code b}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long csp4j(Backend b) {
        return BufferedScenario.csp4j(ITEMS, PRODUCERS, PRODUCERS, CAPACITY);
    }

    /** JDK {@code ArrayBlockingQueue(128)} on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkArrayBlockingQueue() {
        return BufferedScenario.queue(new ArrayBlockingQueue<>(CAPACITY), ITEMS, PRODUCERS, PRODUCERS);
    }

    /** JDK {@code LinkedTransferQueue} (unbounded {@code put}) on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkLinkedTransferQueue() {
        return BufferedScenario.queue(new LinkedTransferQueue<>(), ITEMS, PRODUCERS, PRODUCERS);
    }

    /** JDK {@code SynchronousQueue} (no buffer) on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkSynchronousQueue() {
        return BufferedScenario.queue(new SynchronousQueue<>(), ITEMS, PRODUCERS, PRODUCERS);
    }

    /** jox {@code newBufferedChannel(128)} on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox() {
        return BufferedScenario.jox(ITEMS, PRODUCERS, PRODUCERS, CAPACITY);
    }

    /** kotlinx.coroutines {@code Channel(128)} on {@code Dispatchers.Default}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinDefault() {
        return KotlinPeers.buffered(ITEMS, PRODUCERS, PRODUCERS, CAPACITY, false);
    }

    /** kotlinx.coroutines {@code Channel(128)} on a single-thread dispatcher. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinSingleThread() {
        return KotlinPeers.buffered(ITEMS, PRODUCERS, PRODUCERS, CAPACITY, true);
    }
}
