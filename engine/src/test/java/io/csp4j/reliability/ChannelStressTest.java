package io.csp4j.reliability;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.putOp;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.timeout;
import static io.csp4j.Csp.useProcessMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.reliability.Reliability.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many producers and consumers over one channel of every kind, in both process modes, mixing plain
 * operations, {@code offer}/{@code poll}, {@code alts} with put and take clauses and timeouts, and a
 * {@code close} that lands while everybody is busy. The books must balance exactly.
 *
 * <pre>
 * role       does, per step (chosen at random)                               stops when
 * producer   put | offer (else put) | alts(put, timeout) (retry on timeout)   put returns false, or done
 * hybrid     alts(put v, take) on the same channel (never matches itself)     both sides done
 * consumer   take | poll (else take) | alts(take, timeout)                    take returns null
 * main       closes the channel once 80% of the values are in, then waits     every process ended
 * </pre>
 *
 * <p>Checks, for lossless kinds (unbuffered, fixed, unbounded): the multiset of values received is
 * exactly the set of values whose put returned {@code true}; each consumer sees each producer's
 * values in increasing order (FIFO per producer). For dropping and sliding buffers: nothing is
 * received twice, nothing is received that was not accepted, and order per producer holds. Every
 * run is bounded in time (a deadlock fails the test with the state of every process).
 *
 * <p>Also Go's {@code TestSelectStress} (runtime/chan_test.go) and {@code test/chan/doubleselect.go}
 * shapes, with exact counts. {@code -Dcsp4j.stress=long} multiplies the work by 20 to 30.
 */
@Tag("stress")
class ChannelStressTest {

    private static final Duration DEADLINE = Duration.ofSeconds(Reliability.longForm() ? 600 : 60);

    /** Errors of processes and callbacks: a stress run must have none. */
    private final ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void collectErrors() {
        Csp.setUncaughtExceptionHandler(t -> {
            reported.add(t);
            t.printStackTrace();
        });
    }

    @AfterEach
    void noProcessFailed() {
        Csp.setUncaughtExceptionHandler(null);
        assertTrue(reported.isEmpty(), () -> "processes failed: " + reported);
    }

    static List<Arguments> kindsAndModes() {
        List<Arguments> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (k == Kind.PROMISE) {
                continue; // its own test: a promise channel hands one value to every taker
            }
            for (ProcessMode m : ProcessMode.values()) {
                out.add(Arguments.of(k, m));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndModes")
    void producersHybridsAndConsumersBalanceTheBooks(Kind kind, ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int producers = 4;
        int hybrids = 2;
        int consumers = 4;
        int perProducer = Reliability.scaled(20_000, 500_000);
        Chan<Long> ch = kind.make(4);
        AtomicLong acceptedCount = new AtomicLong();
        long started = System.nanoTime();

        // Each process records into its own arrays; completion of its future publishes them.
        List<CompletableFuture<long[]>> accepted = new ArrayList<>();
        List<CompletableFuture<long[]>> received = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            accepted.add(goFuture(() -> produce(ch, id, perProducer, acceptedCount)));
        }
        for (int h = 0; h < hybrids; h++) {
            int id = producers + h;
            CompletableFuture<long[][]> both = goFuture(() -> hybrid(ch, id, perProducer, acceptedCount));
            accepted.add(both.thenApply(r -> r[0]));
            received.add(both.thenApply(r -> r[1]));
        }
        for (int c = 0; c < consumers; c++) {
            received.add(goFuture(() -> consume(ch)));
        }

        // Close while the producers are still at work.
        long planned = (long) (producers + hybrids) * perProducer;
        List<CompletableFuture<long[]>> producing = accepted;
        assertTrue(Reliability.eventually(() -> acceptedCount.get() >= planned * 8 / 10
                || producing.stream().allMatch(CompletableFuture::isDone), DEADLINE), "producers stalled");
        ch.close();

        List<long[]> in = await(accepted, "producers");
        List<long[]> out = await(received, "consumers");
        long ms = (System.nanoTime() - started) / 1_000_000;

        Map<Long, Integer> seen = new HashMap<>();
        for (long[] r : out) {
            long[] lastSeq = new long[producers + hybrids];
            Arrays.fill(lastSeq, -1);
            for (long v : r) {
                seen.merge(v, 1, Integer::sum);
                int producer = (int) (v >>> 32);
                long seq = v & 0xffff_ffffL;
                if (kind.fifo() || kind == Kind.DROPPING || kind == Kind.SLIDING) {
                    assertTrue(seq > lastSeq[producer], () -> kind + ": producer " + producer + "'s value " + seq
                            + " came after " + lastSeq[producer] + " to one consumer");
                }
                lastSeq[producer] = seq;
            }
        }
        Set<Long> acceptedValues = new HashSet<>();
        for (long[] a : in) {
            for (long v : a) {
                assertTrue(acceptedValues.add(v), "a producer accepted twice: " + v);
            }
        }
        for (Map.Entry<Long, Integer> e : seen.entrySet()) {
            assertEquals(1, e.getValue(), () -> kind + ": value " + e.getKey() + " received " + e.getValue() + " times");
            assertTrue(acceptedValues.contains(e.getKey()), () -> kind + ": received a value never accepted: " + e.getKey());
        }
        if (kind.lossless()) {
            assertEquals(acceptedValues.size(), seen.size(), () -> kind + ": accepted values lost");
        }
        assertTrue(ch.isClosed());
        assertEquals(null, ch.poll(), "drained");
        System.out.printf("stress %s %s: %d accepted, %d received, %d ms%n", kind, mode, acceptedValues.size(),
                seen.size(), ms);
    }

    /** Puts {@code n} values, one of three ways each, until done or the channel closes. */
    private static long[] produce(Chan<Long> ch, int id, int n, AtomicLong acceptedCount) {
        long[] accepted = new long[n];
        int count = 0;
        for (int seq = 0; seq < n; ) {
            long v = ((long) id << 32) | seq;
            boolean ok;
            int how = ThreadLocalRandom.current().nextInt(8);
            if (how == 0) {
                ok = ch.offer(v) || ch.put(v);
            } else if (how == 1) {
                AltResult r = alts(putOp(ch, v), takeOp(timeout(ThreadLocalRandom.current().nextInt(3))));
                if (r.from(ch)) {
                    ok = (Boolean) r.value();
                } else {
                    continue; // timed out: try the same value again
                }
            } else {
                ok = ch.put(v);
            }
            if (!ok) {
                break; // closed
            }
            accepted[count++] = v;
            acceptedCount.incrementAndGet();
            seq++;
        }
        return Arrays.copyOf(accepted, count);
    }

    /** alts(put v, take) on the same channel until it has put its values and the channel is drained. */
    private static long[][] hybrid(Chan<Long> ch, int id, int n, AtomicLong acceptedCount) {
        long[] accepted = new long[n];
        int acceptedN = 0;
        List<Long> got = new ArrayList<>();
        int seq = 0;
        boolean putting = true;
        while (true) {
            long v = ((long) id << 32) | seq;
            AltOp put = putting && seq < n ? putOp(ch, v) : putOp(null, v);
            AltResult r = alts(put, takeOp(ch));
            Object x = r.value();
            if (x instanceof Boolean b) {
                if (b) {
                    accepted[acceptedN++] = v;
                    acceptedCount.incrementAndGet();
                    seq++;
                } else {
                    putting = false;
                }
            } else if (x == null) {
                break; // closed and drained
            } else {
                got.add((Long) x);
            }
        }
        return new long[][] {Arrays.copyOf(accepted, acceptedN), got.stream().mapToLong(Long::longValue).toArray()};
    }

    /** Takes, one of three ways each, until the channel is closed and drained. */
    private static long[] consume(Chan<Long> ch) {
        List<Long> got = new ArrayList<>();
        while (true) {
            Long v;
            int how = ThreadLocalRandom.current().nextInt(8);
            if (how == 0) {
                v = ch.poll();
                if (v == null) {
                    v = ch.take();
                }
            } else if (how == 1) {
                AltResult r = alts(takeOp(ch), takeOp(timeout(ThreadLocalRandom.current().nextInt(3))));
                if (!r.from(ch)) {
                    continue;
                }
                v = r.valueAs();
            } else {
                v = ch.take();
            }
            if (v == null) {
                break;
            }
            got.add(v);
        }
        return got.stream().mapToLong(Long::longValue).toArray();
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aPromiseChannelGivesEveryTakerTheFirstValueAccepted(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int rounds = Reliability.scaled(3_000, 100_000);
        for (int round = 0; round < rounds; round++) {
            Chan<Integer> p = Kind.PROMISE.make(1);
            List<CompletableFuture<Integer>> takers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                takers.add(goFuture(() -> {
                    AltResult r = alts(takeOp(p));
                    Integer first = r.valueAs();
                    Integer again = p.take();
                    assertEquals(first, again, "a promise channel changed its value");
                    return first;
                }));
            }
            List<CompletableFuture<Boolean>> putters = new ArrayList<>();
            for (int v = 1; v <= 4; v++) {
                int value = v;
                putters.add(goFuture(() -> value % 2 == 0 ? p.put(value) : p.offer(value)));
            }
            for (CompletableFuture<Boolean> f : putters) {
                assertTrue(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a promise channel accepts every put");
            }
            Integer winner = takers.get(0).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(winner);
            for (CompletableFuture<Integer> f : takers) {
                assertEquals(winner, f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            p.close();
            assertEquals(winner, p.poll(), "the value outlives close()");
            assertEquals(false, p.offer(9));
        }
    }

    /**
     * Go's TestSelectStress: 4 channels (2 unbuffered, buffers of 2 and 3); per channel one sender
     * and one receiver of N values, plus one process that sends N values to each in a single select
     * and one that receives N from each, turning a case off (a {@code null} channel) when its count
     * is reached. Values are distinct, and each channel must deliver each exactly once.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void goSelectStress(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(50_000, 1_000_000);
        List<Chan<Integer>> c = List.of(Kind.UNBUFFERED.make(0), Kind.UNBUFFERED.make(0), Kind.FIXED.make(2),
                Kind.FIXED.make(3));
        long started = System.nanoTime();
        List<CompletableFuture<int[]>> receivers = new ArrayList<>();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Chan<Integer> ck = c.get(k);
            senders.add(goFuture(() -> {
                for (int i = 0; i < n; i++) {
                    ck.put(i); // 0 .. n-1 from the plain sender
                }
            }));
            receivers.add(goFuture(() -> {
                int[] got = new int[n];
                for (int i = 0; i < n; i++) {
                    got[i] = ck.take();
                }
                return got;
            }));
        }
        senders.add(goFuture(() -> {
            int[] sent = new int[4];
            for (int i = 0; i < 4 * n; i++) {
                AltOp[] ops = new AltOp[4];
                for (int k = 0; k < 4; k++) {
                    ops[k] = putOp(sent[k] < n ? c.get(k) : null, n + sent[k]); // n .. 2n-1 from the select
                }
                AltResult r = alts(ops);
                sent[c.indexOf(r.channel())]++;
            }
        }));
        receivers.add(goFuture(() -> {
            int[] got = new int[4 * n];
            int[] count = new int[4];
            for (int i = 0; i < 4 * n; i++) {
                AltOp[] ops = new AltOp[4];
                for (int k = 0; k < 4; k++) {
                    ops[k] = takeOp(count[k] < n ? c.get(k) : null);
                }
                AltResult r = alts(ops);
                int k = c.indexOf(r.channel());
                count[k]++;
                got[i] = k * 2 * n + (Integer) r.value(); // tag with the channel
            }
            return got;
        }));
        await(senders, "senders");
        List<int[]> got = await(receivers, "receivers");
        int[] perValue = new int[4 * 2 * n];
        for (int k = 0; k < 4; k++) {
            for (int v : got.get(k)) {
                perValue[k * 2 * n + v]++;
            }
        }
        for (int tagged : got.get(4)) {
            perValue[tagged]++;
        }
        for (int i = 0; i < perValue.length; i++) {
            int channel = i / (2 * n);
            int value = i % (2 * n);
            int times = perValue[i];
            assertEquals(1, times, () -> "channel " + channel + " delivered " + value + " " + times + " times");
        }
        System.out.printf("select stress %s: %d values, %d ms%n", mode, 8 * n, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Go's test/chan/doubleselect.go: a sender selects over 4 unbuffered channels, 4 muxes forward
     * onto one channel, a receiver checks that no value arrives twice (two cases of one select must
     * never both run) and, here, that every value arrives.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void goDoubleSelect(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        int n = Reliability.scaled(100_000, 2_000_000);
        List<Chan<Integer>> c = List.of(Kind.UNBUFFERED.make(0), Kind.UNBUFFERED.make(0), Kind.UNBUFFERED.make(0),
                Kind.UNBUFFERED.make(0));
        Chan<Integer> cmux = Kind.UNBUFFERED.make(0);
        Chan<Boolean> done = Kind.UNBUFFERED.make(0);
        long started = System.nanoTime();
        goFuture(() -> {
            for (int i = 0; i < n; i++) {
                alts(putOp(c.get(0), i), putOp(c.get(1), i), putOp(c.get(2), i), putOp(c.get(3), i));
            }
            c.forEach(Chan::close);
        });
        for (Chan<Integer> in : c) {
            goFuture(() -> {
                for (Integer v; (v = in.take()) != null; ) {
                    cmux.put(v);
                }
                done.put(true);
            });
        }
        goFuture(() -> {
            for (int i = 0; i < 4; i++) {
                done.take();
            }
            cmux.close();
        });
        CompletableFuture<Integer> receiver = goFuture(() -> {
            boolean[] seen = new boolean[n];
            int count = 0;
            for (Integer v; (v = cmux.take()) != null; ) {
                if (seen[v]) {
                    throw new AssertionError("got duplicate value: " + v);
                }
                seen[v] = true;
                count++;
            }
            return count;
        });
        assertEquals(n, await(List.of(receiver), "receiver").get(0), "every value arrives once");
        System.out.printf("double select %s: %d values, %d ms%n", mode, n, (System.nanoTime() - started) / 1_000_000);
    }

    /** Waits for every future within the deadline; a timeout is a deadlock and fails with the states. */
    static <T> List<T> await(List<CompletableFuture<T>> fs, String who) throws Exception {
        try {
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            long stuck = fs.stream().filter(f -> !f.isDone()).count();
            fail("deadlock: " + stuck + " of " + fs.size() + " " + who + " still running after " + DEADLINE);
        }
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : fs) {
            out.add(f.join());
        }
        return out;
    }
}
