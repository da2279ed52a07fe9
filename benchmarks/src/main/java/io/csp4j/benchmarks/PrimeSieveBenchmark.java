package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelDone;
import io.csp4j.Chan;
import io.csp4j.benchmarks.peers.KotlinPeers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W6 (benchmarks/README.md): Go's concurrent prime sieve to the {@value #COUNT}th prime, in
 * milliseconds per sieve. A generator sends 2, 3, 4... through a chain of filter processes over
 * unbuffered channels; each prime found starts one more filter. The generator stops at
 * {@value #LIMIT} (the {@value #COUNT}th prime), so the whole chain closes behind it and nothing is
 * left parked between invocations. Every body returns the {@code count}th prime.
 *
 * {@snippet :
 * int p = PrimeSieveBenchmark.csp4j(10, 29); // 29
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class PrimeSieveBenchmark {

    /** How many primes. */
    public static final int COUNT = 2_000;

    /** The {@value #COUNT}th prime, where the generator stops. */
    public static final int LIMIT = 17_389;

    private static final Integer END = -1;

    /** csp4j on the backend and mode of {@code b}. */
    @Benchmark
    public int csp4j(Backend b) {
        return csp4j(COUNT, LIMIT);
    }

    /** JDK {@code SynchronousQueue}s on virtual threads ({@code -1} ends the stream). */
    @Benchmark
    public int jdkSynchronousQueue() {
        return synchronousQueues(COUNT, LIMIT);
    }

    /** jox rendezvous channels on virtual threads. */
    @Benchmark
    public int jox() {
        return jox(COUNT, LIMIT);
    }

    /** kotlinx.coroutines rendezvous channels on {@code Dispatchers.Default}. */
    @Benchmark
    public int kotlinDefault() {
        return KotlinPeers.primeSieve(COUNT, LIMIT, false);
    }

    /** kotlinx.coroutines rendezvous channels on a single-thread dispatcher. */
    @Benchmark
    public int kotlinSingleThread() {
        return KotlinPeers.primeSieve(COUNT, LIMIT, true);
    }

    /** The sieve with go blocks; the {@code count}th prime ({@code limit} must be it). */
    public static int csp4j(int count, int limit) {
        return Await.take(go(() -> {
            Chan<Integer> gen = chan();
            go(() -> {
                for (int i = 2; i <= limit; i++) {
                    gen.put(i);
                }
                gen.close();
            });
            Chan<Integer> ch = gen;
            int prime = 0;
            for (int k = 0; k < count; k++) {
                prime = ch.take();
                Chan<Integer> in = ch;
                Chan<Integer> out = chan();
                int p = prime;
                go(() -> {
                    for (Integer v = in.take(); v != null; v = in.take()) {
                        if (v % p != 0) {
                            out.put(v);
                        }
                    }
                    out.close();
                });
                ch = out;
            }
            for (Integer rest = ch.take(); rest != null; rest = ch.take()) {
                prime = Math.max(prime, rest);
            }
            return prime;
        }));
    }

    /** The sieve with {@code SynchronousQueue}s on virtual threads. */
    public static int synchronousQueues(int count, int limit) {
        int[] prime = new int[1];
        List<Thread> threads = new ArrayList<>();
        VirtualThreads.runAll(() -> {
            SynchronousQueue<Integer> gen = new SynchronousQueue<>();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 2; i <= limit; i++) {
                        gen.put(i);
                    }
                    gen.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            SynchronousQueue<Integer> ch = gen;
            for (int k = 0; k < count; k++) {
                prime[0] = ch.take();
                SynchronousQueue<Integer> in = ch;
                SynchronousQueue<Integer> out = new SynchronousQueue<>();
                int p = prime[0];
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (Integer v = in.take(); !v.equals(END); v = in.take()) {
                            if (v % p != 0) {
                                out.put(v);
                            }
                        }
                        out.put(END);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                ch = out;
            }
            for (Integer rest = ch.take(); !rest.equals(END); rest = ch.take()) {
                prime[0] = Math.max(prime[0], rest);
            }
            for (Thread t : threads) {
                t.join();
            }
        });
        return prime[0];
    }

    /** The sieve with jox rendezvous channels on virtual threads. */
    public static int jox(int count, int limit) {
        int[] prime = new int[1];
        List<Thread> threads = new ArrayList<>();
        VirtualThreads.runAll(() -> {
            Channel<Integer> gen = Channel.newRendezvousChannel();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 2; i <= limit; i++) {
                        gen.send(i);
                    }
                    gen.done();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Channel<Integer> ch = gen;
            for (int k = 0; k < count; k++) {
                prime[0] = ch.receive();
                Channel<Integer> in = ch;
                Channel<Integer> out = Channel.newRendezvousChannel();
                int p = prime[0];
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (Object v = in.receiveOrClosed(); !(v instanceof ChannelDone); v = in.receiveOrClosed()) {
                            if ((Integer) v % p != 0) {
                                out.send((Integer) v);
                            }
                        }
                        out.done();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                ch = out;
            }
            for (Object rest = ch.receiveOrClosed(); !(rest instanceof ChannelDone); rest = ch.receiveOrClosed()) {
                prime[0] = Math.max(prime[0], (Integer) rest);
            }
            for (Thread t : threads) {
                t.join();
            }
        });
        return prime[0];
    }
}
