package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import io.csp4j.Chan;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W8 (benchmarks/README.md): parallel work. {@value #WORKERS} CPU-bound go blocks started from the
 * benchmark thread (as from {@code main}), each doing {@value #SLICES} slices of arithmetic (about
 * 1 ms each on this project's machine) with a channel hand-off after every slice: it puts the
 * slice's result on one unbuffered channel that a collector go block drains. Milliseconds per run,
 * on every backend: the default dispatcher against {@code forkjoin-1} shows whether lanes share CPU
 * work ("everything on one lane" would serialise it). Returns the sum of all slice results, which is
 * the same on every backend ({@link #expected()}).
 *
 * {@snippet :
 * long sum = ParallelWorkBenchmark.csp4j(4, 2, 1_000); // ParallelWorkBenchmark.expected(4, 2, 1_000)
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ParallelWorkBenchmark {

    /** CPU-bound go blocks per run. */
    public static final int WORKERS = 64;
    /** Slices of arithmetic per go block. */
    public static final int SLICES = 20;
    /** Steps of arithmetic per slice (about 1 ms here). */
    public static final int STEPS = 1_500_000;

    /** csp4j on the backend and mode of {@code b}. */
    @Benchmark
    public long csp4j(Backend b) {
        return csp4j(WORKERS, SLICES, STEPS);
    }

    /** {@code workers} go blocks of {@code slices} slices of {@code steps} steps; the sum of all slices. */
    public static long csp4j(int workers, int slices, int steps) {
        Chan<Long> done = chan();
        Chan<Long> total = go(() -> {
            long sum = 0;
            for (int i = 0; i < workers * slices; i++) {
                sum += done.take();
            }
            return sum;
        });
        for (int w = 0; w < workers; w++) {
            long seed = w + 1;
            go(() -> {
                long x = seed;
                for (int s = 0; s < slices; s++) {
                    x = slice(x, steps);
                    done.put(x & 0xFFFF);
                }
                return null;
            });
        }
        return Await.take(total);
    }

    /** The sum {@link #csp4j(int, int, int)} returns, computed on the calling thread. */
    public static long expected(int workers, int slices, int steps) {
        long sum = 0;
        for (int w = 0; w < workers; w++) {
            long x = w + 1;
            for (int s = 0; s < slices; s++) {
                x = slice(x, steps);
                sum += x & 0xFFFF;
            }
        }
        return sum;
    }

    /** {@code steps} rounds of xorshift64 from {@code x}: arithmetic the JIT cannot skip. */
    static long slice(long x, int steps) {
        for (int i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
