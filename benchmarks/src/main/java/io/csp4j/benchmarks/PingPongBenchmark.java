package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import com.softwaremill.jox.Channel;
import io.csp4j.Chan;
import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * W1 (benchmarks/README.md): unbuffered ping-pong between two processes, in nanoseconds per round
 * trip. Each invocation runs {@value #ROUNDS} round trips: one side puts {@code i} on {@code ping}
 * and takes the echo from {@code pong}; both sides are processes (csp4j), virtual threads (JDK
 * queues, jox) or coroutines (kotlinx). Every body returns the sum of the echoed values,
 * {@code rounds * (rounds - 1) / 2}.
 *
 * {@snippet :
 * long sum = PingPongBenchmark.csp4j(1_000); // 499_500
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class PingPongBenchmark {

    /** Round trips per invocation. */
    public static final int ROUNDS = 10_000;

    /** csp4j on the backend and mode of {@code b}. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long csp4j(Backend b) {
        return csp4j(ROUNDS);
    }

    /**
     * csp4j with both processes started from one go block, i.e. from one lane (like a verticle's
     * or an event loop's processes on Vert.x and Netty).
     */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long csp4jFromLane(Backend b) {
        return Await.take(go(() -> csp4jParked(ROUNDS)));
    }

    /** JDK {@code SynchronousQueue} on two virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long jdkSynchronousQueue() {
        return queues(new SynchronousQueue<>(), new SynchronousQueue<>(), false, ROUNDS);
    }

    /** JDK {@code ArrayBlockingQueue(1)} on two virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long jdkArrayBlockingQueue() {
        return queues(new ArrayBlockingQueue<>(1), new ArrayBlockingQueue<>(1), false, ROUNDS);
    }

    /** JDK {@code LinkedTransferQueue} ({@code transfer}, so unbuffered) on two virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long jdkLinkedTransferQueue() {
        return queues(new LinkedTransferQueue<>(), new LinkedTransferQueue<>(), true, ROUNDS);
    }

    /** jox rendezvous channels on two virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long jox() {
        return jox(ROUNDS);
    }

    /** kotlinx.coroutines rendezvous channels on {@code Dispatchers.Default}. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long kotlinDefault() {
        return KotlinPeers.pingPong(ROUNDS, false);
    }

    /** kotlinx.coroutines rendezvous channels on a single-thread dispatcher. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long kotlinSingleThread() {
        return KotlinPeers.pingPong(ROUNDS, true);
    }

    /** {@code rounds} round trips between two go blocks on the bound dispatcher; the echo sum. */
    public static long csp4j(int rounds) {
        return Await.take(pingPong(rounds));
    }

    /** {@link #csp4j(int)} for a caller that is itself a process: it parks for the result. */
    static long csp4jParked(int rounds) {
        return pingPong(rounds).take();
    }

    /** Starts the two go blocks of {@code rounds} round trips; the second one's channel gets the echo sum. */
    private static Chan<Long> pingPong(int rounds) {
        Chan<Integer> ping = chan();
        Chan<Integer> pong = chan();
        go(() -> {
            for (int i = 0; i < rounds; i++) {
                pong.put(ping.take());
            }
        });
        return go(() -> {
            long sum = 0;
            for (int i = 0; i < rounds; i++) {
                ping.put(i);
                sum += pong.take();
            }
            return sum;
        });
    }

    /** {@code rounds} round trips over two JDK queues ({@code transfer} instead of {@code put} if asked). */
    public static long queues(BlockingQueue<Integer> ping, BlockingQueue<Integer> pong, boolean transfer,
            int rounds) {
        long[] sum = new long[1];
        VirtualThreads.runAll(() -> {
            for (int i = 0; i < rounds; i++) {
                Integer v = ping.take();
                if (transfer) {
                    ((LinkedTransferQueue<Integer>) pong).transfer(v);
                } else {
                    pong.put(v);
                }
            }
        }, () -> {
            for (int i = 0; i < rounds; i++) {
                if (transfer) {
                    ((LinkedTransferQueue<Integer>) ping).transfer(i);
                } else {
                    ping.put(i);
                }
                sum[0] += pong.take();
            }
        });
        return sum[0];
    }

    /** {@code rounds} round trips over two jox rendezvous channels. */
    public static long jox(int rounds) {
        Channel<Integer> ping = Channel.newRendezvousChannel();
        Channel<Integer> pong = Channel.newRendezvousChannel();
        long[] sum = new long[1];
        VirtualThreads.runAll(() -> {
            for (int i = 0; i < rounds; i++) {
                pong.send(ping.receive());
            }
        }, () -> {
            for (int i = 0; i < rounds; i++) {
                ping.send(i);
                sum[0] += pong.receive();
            }
        });
        return sum[0];
    }
}
