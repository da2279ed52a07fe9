package io.csp4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the benchmarks from rotting: runs each scenario's body (W1-W7) once, tiny, on every backend
 * and in both modes, and each peer once, and checks the exact result (sums, counts, the prime).
 * The JMH runs themselves are {@code ./run bench}.
 */
class ScenariosSmokeTest {

    private static final int N = 1_000;
    private static final long SUM = (long) N * (N - 1) / 2;

    static Stream<Arguments> backends() {
        return Stream.of(Backend.BACKENDS)
                .flatMap(b -> Stream.of(Arguments.of(b, "loop"), Arguments.of(b, "virtual")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void csp4jScenariosGiveExactResults(String backend, String mode) throws Exception {
        Backend b = new Backend();
        b.backend = backend;
        b.mode = mode;
        b.bind();
        try {
            assertEquals(SUM, PingPongBenchmark.csp4j(N), "W1");
            assertEquals(SUM, Await.take(Csp.go(() -> PingPongBenchmark.csp4jParked(N))), "W1 started from a lane");
            assertEquals(SUM, BufferedScenario.csp4j(N, 1, 1, 128), "W2");
            assertEquals(SUM, BufferedScenario.csp4j(N, 4, 4, 128), "W3");
            assertEquals(SUM, FanInAltsBenchmark.csp4j(4, N / 4), "W4");
            assertEquals(N, SpawnBenchmark.csp4j(N), "W5");
            assertEquals(29, PrimeSieveBenchmark.csp4j(10, 29), "W6 (10th prime)");
            assertEquals(541, PrimeSieveBenchmark.csp4j(100, 541), "W6 (100th prime)");
            assertEquals(N, TimeoutsBenchmark.csp4j(N, 5), "W7");
            assertEquals(ParallelWorkBenchmark.expected(8, 3, 1_000), ParallelWorkBenchmark.csp4j(8, 3, 1_000), "W8");
            HeapPerProcess.Result heap = HeapPerProcess.csp4j(backend, mode, 2_000);
            assertEquals(2_000, heap.processes());
            assertTrue(heap.warmUpRounds() >= HeapPerProcess.MIN_WARM_UP_ROUNDS
                    && heap.warmUpRounds() <= HeapPerProcess.MAX_WARM_UP_ROUNDS, "warm-up rounds: " + heap.warmUpRounds());
        } finally {
            b.unbind();
        }
    }

    @Test
    void jdkAndJoxPeersGiveExactResults() {
        assertEquals(SUM, PingPongBenchmark.queues(new SynchronousQueue<>(), new SynchronousQueue<>(), false, N));
        assertEquals(SUM, PingPongBenchmark.queues(new ArrayBlockingQueue<>(1), new ArrayBlockingQueue<>(1), false, N));
        assertEquals(SUM, PingPongBenchmark.queues(new LinkedTransferQueue<>(), new LinkedTransferQueue<>(), true, N));
        assertEquals(SUM, PingPongBenchmark.jox(N));
        for (int p : new int[] {1, 4}) {
            assertEquals(SUM, BufferedScenario.queue(new ArrayBlockingQueue<>(128), N, p, p));
            assertEquals(SUM, BufferedScenario.queue(new LinkedTransferQueue<>(), N, p, p));
            assertEquals(SUM, BufferedScenario.queue(new SynchronousQueue<>(), N, p, p));
            assertEquals(SUM, BufferedScenario.jox(N, p, p, 128));
        }
        assertEquals(SUM, FanInAltsBenchmark.jox(4, N / 4));
        assertEquals(N, SpawnBenchmark.virtualThreads(N));
        assertEquals(541, PrimeSieveBenchmark.synchronousQueues(100, 541));
        assertEquals(541, PrimeSieveBenchmark.jox(100, 541));
        assertEquals(N, TimeoutsBenchmark.virtualThreads(N, 5));
    }

    @Test
    void kotlinPeersGiveExactResults() throws Exception {
        for (boolean single : new boolean[] {false, true}) {
            assertEquals(SUM, KotlinPeers.pingPong(N, single));
            assertEquals(SUM, KotlinPeers.buffered(N, 1, 1, 128, single));
            assertEquals(SUM, KotlinPeers.buffered(N, 4, 4, 128, single));
            assertEquals(SUM, KotlinPeers.fanInSelect(4, N / 4, single));
            assertEquals(N, KotlinPeers.spawn(N, single));
            assertEquals(541, KotlinPeers.primeSieve(100, 541, single));
            assertEquals(N, KotlinPeers.timeouts(N, 5, single));
        }
        assertEquals(2_000, HeapPerProcess.kotlin(2_000).processes());
        assertEquals(2_000, HeapPerProcess.virtualThreads(2_000).processes());
    }
}
