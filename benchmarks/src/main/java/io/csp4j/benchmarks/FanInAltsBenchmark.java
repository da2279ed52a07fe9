package io.csp4j.benchmarks;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.Select;
import com.softwaremill.jox.SelectClause;
import io.csp4j.Chan;
import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W4 (benchmarks/README.md): fan-in with {@code alts} over {@value #CHANNELS} unbuffered channels,
 * in nanoseconds per item. Each producer puts {@value #PER_CHANNEL} values on a channel of its own;
 * one consumer takes all {@code CHANNELS * PER_CHANNEL} with {@code alts} (jox: {@code Select.select},
 * kotlinx: {@code select}) and returns their sum, {@code n * (n - 1) / 2}. The JDK has no select
 * over queues, so it has no peer here.
 *
 * {@snippet :
 * long sum = FanInAltsBenchmark.csp4j(4, 250); // 499_500
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class FanInAltsBenchmark {

    /** Channels fanned in. */
    public static final int CHANNELS = 4;

    /** Values per channel and invocation. */
    public static final int PER_CHANNEL = 5_000;

    private static final int ITEMS = CHANNELS * PER_CHANNEL;

    /** csp4j on the backend and mode of {@code b}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long csp4j(Backend b) {
        return csp4j(CHANNELS, PER_CHANNEL);
    }

    /** jox {@code Select.select} over rendezvous channels on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox() {
        return jox(CHANNELS, PER_CHANNEL);
    }

    /** kotlinx.coroutines {@code select} on {@code Dispatchers.Default}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinDefault() {
        return KotlinPeers.fanInSelect(CHANNELS, PER_CHANNEL, false);
    }

    /** kotlinx.coroutines {@code select} on a single-thread dispatcher. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinSingleThread() {
        return KotlinPeers.fanInSelect(CHANNELS, PER_CHANNEL, true);
    }

    /** Fan-in of {@code channels * perChannel} values with {@code alts}; their sum. */
    @SuppressWarnings("unchecked")
    public static long csp4j(int channels, int perChannel) {
        Chan<Integer>[] chans = new Chan[channels];
        for (int c = 0; c < channels; c++) {
            Chan<Integer> ch = chan();
            chans[c] = ch;
            int base = c * perChannel;
            go(() -> {
                for (int i = 0; i < perChannel; i++) {
                    ch.put(base + i);
                }
            });
        }
        int items = channels * perChannel;
        return Await.take(go(() -> {
            long sum = 0;
            for (int i = 0; i < items; i++) {
                sum += (Integer) alts(chans).value();
            }
            return sum;
        }));
    }

    /** The same with jox channels and {@code Select.select} on virtual threads. */
    public static long jox(int channels, int perChannel) {
        List<Channel<Integer>> chans = new ArrayList<>();
        List<VirtualThreads.Body> bodies = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            Channel<Integer> ch = Channel.newRendezvousChannel();
            chans.add(ch);
            int base = c * perChannel;
            bodies.add(() -> {
                for (int i = 0; i < perChannel; i++) {
                    ch.send(base + i);
                }
            });
        }
        long[] sum = new long[1];
        int items = channels * perChannel;
        bodies.add(() -> {
            for (int i = 0; i < items; i++) {
                @SuppressWarnings("unchecked")
                SelectClause<Integer>[] clauses = new SelectClause[channels];
                for (int c = 0; c < channels; c++) {
                    clauses[c] = chans.get(c).receiveClause();
                }
                sum[0] += Select.select(clauses);
            }
        });
        VirtualThreads.runAll(bodies);
        return sum[0];
    }
}
