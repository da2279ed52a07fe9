package io.csp4j.cluster;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.ReadPort;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Back-pressure across nodes, measured on a real two-node Hazelcast cluster in this JVM: a slow taker
 * on one node holds back a fast putter on the other, with every value arriving exactly once and in
 * order, in both directions of a link:
 * <ul>
 *   <li><b>writer link</b>: a putter on node A writes through a {@link RemoteWritePort} into a
 *       channel exported on node B, where the slow taker takes;</li>
 *   <li><b>reader link</b>: a producer on node A puts into its own exported channel; a slow taker on
 *       node B takes through a {@link RemoteReadPort}.</li>
 * </ul>
 * The taker stalls for {@link #STALL_MS} ms after every {@link #STALL_EVERY} values, far longer than
 * the link needs to fill its window, so during each stall the putter is the faster side and only the
 * credit window holds it back; between stalls it takes as fast as values arrive. Values are 1 KiB
 * buffers, so a queue of the run's values anywhere (the event bus has no flow control of its own)
 * would show as about 20 MB of heap.
 *
 * <p>What is asserted, at every take (exact, by the taker itself), at every sample of the counters
 * (every 5 ms) and of the heap (after a full GC, each tenth of the run):
 * <ul>
 *   <li>the putter is never more than {@code window + buffer + 2} values ahead of the taker, and it
 *       does get that far ahead (it is the faster side: the bound is what holds it back);</li>
 *   <li>the per-link counters never exceed the window, and the sending side's reach it
 *       ({@link RemoteWritePort#inFlight()}, {@link Export#inFlight()} of a reader link); a receiving
 *       link's queue ({@link RemoteReadPort#prefetched()}, {@link Export#inFlight()} of a writer link)
 *       reaches it less what was handed on since the last credit, sent in batches of half a window;</li>
 *   <li>frames written to the event bus's TCP connection and not yet handed to a consumer (counted
 *       with a Vert.x {@link EventBusMetrics}) stay within a window of values plus control frames,
 *       and their bytes within a window of values; after the run both counts return to zero;</li>
 *   <li>the heap used after a full GC stays flat: its range over the run and its growth from the
 *       first to the last third are each far below what the run's values would take (~20 MB).</li>
 * </ul>
 * A third run puts a send buffer ({@link RemoteOptions#sendBuffer}) in front of the writer link: the
 * putter may then be that much further ahead, and nothing else changes.
 *
 * <p>Both nodes share this JVM's heap, so the heap figure covers the putter's and the taker's side
 * together; the per-link counters say on which side values wait. {@code -Dcsp4j.stress=long} runs
 * 200,000 values per direction instead of 20,000.
 */
class RemoteBackPressureTest {

    static final int WINDOW = 16;
    /** The exported channel's buffer. */
    static final int BUFFER = 16;
    /** The send buffer in front of a writer link, in the run that has one. */
    static final int SEND_BUFFER = 16;
    static final int PAYLOAD = 1024;
    static final boolean LONG = "long".equals(System.getProperty("csp4j.stress"));
    static final int VALUES = LONG ? 200_000 : 20_000;
    /** The slow taker stalls this long... */
    static final int STALL_MS = 50;
    /** ...after every this many values. */
    static final int STALL_EVERY = 1_000;
    /** The putter may be ahead of the taker by the window, the channel's buffer, and one value in each hand. */
    static final int MAX_AHEAD = WINDOW + BUFFER + 2;
    /**
     * Frames on the event bus at once: a window of DATA, at most a window of CREDIT frames (a remote
     * reader grants for each value taken; measured: never more than 19 frames in all), and PINGs.
     */
    static final int MAX_BUS_FRAMES = 2 * WINDOW + 8;
    /** Their bytes: a window of values and the small control frames. */
    static final long MAX_BUS_BYTES = (long) WINDOW * (PAYLOAD + 512) + (WINDOW + 8) * 512L;
    static final long MB = 1024 * 1024;
    /** Heap samples per run, one each {@code VALUES / SAMPLES} values taken. */
    static final int SAMPLES = 10;
    /**
     * How far the heap after GC may range over a run (half of it: grow from the first third to the
     * last). Measured: under 0.2 MB; the run's values queued anywhere would take about 20 MB (with
     * credit ignored, the reader link's runs grew by 13-16 MB).
     */
    static final long FLAT_MB = 3;

    static final BusCounters bus = new BusCounters();
    static ClusterNodes nodes;
    static RemoteChannels a;
    static RemoteChannels b;
    static final List<RemoteLinkException> failures = new CopyOnWriteArrayList<>();
    static final AtomicLong seq = new AtomicLong();

    @BeforeAll
    static void startCluster() {
        nodes = ClusterNodes.start("csp4j-RemoteBackPressureTest", 5841, 2, eb -> eb, bus);
        // No test here kills a node: a long link timeout keeps a loaded machine's pauses (and the
        // sampler's full GCs) from failing links.
        RemoteOptions o = new RemoteOptions().window(WINDOW).heartbeat(Duration.ofMillis(500))
                .linkTimeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(30)).onFailure(failures::add);
        a = nodes.remote(0, o);
        b = nodes.remote(1, o);
    }

    @AfterAll
    static void stopCluster() {
        ClusterNodes.join(a.close());
        ClusterNodes.join(b.close());
        nodes.close();
    }

    @AfterEach
    void noLinkFailed() {
        List<RemoteLinkException> seen = List.copyOf(failures);
        failures.clear();
        assertEquals(List.of(), seen, "no link failed and nothing was lost");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aSlowTakerHoldsBackAFastRemotePutterWithFlatMemory(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        writerRun(a, "bp.writer.", "writer link, " + mode, MAX_AHEAD);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aSlowRemoteTakerHoldsBackAFastProducerWithFlatMemory(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        String addr = "bp.reader." + seq.incrementAndGet();
        Chan<Buffer> ch = chan(BUFFER);
        Export export = ClusterNodes.join(a.export(addr, ch, ValueCodec.of(Buffer.class)));
        RemoteReadPort<Buffer> in = ClusterNodes.join(b.connectReader(addr, ValueCodec.of(Buffer.class)));
        Run run = new Run("reader link, " + mode, MAX_AHEAD);
        run.counter("Export.inFlight (node A)", WINDOW, export::inFlight);
        run.receivingCounter("RemoteReadPort.prefetched (node B)", WINDOW, in::prefetched);
        CompletableFuture<Long> producer = goFuture(() -> {
            long n = run.put(ch::put);
            ch.close();
            return n;
        });
        CompletableFuture<Long> taker = goFuture(() -> run.take(in));
        run.sample(taker);
        assertEquals(VALUES, producer.get(60, TimeUnit.SECONDS), "every put returned true");
        run.check();
        RemoteChannelTest.eventually("the event bus holds nothing once the run is over",
                () -> bus.pendingFrames() == 0 && bus.pendingBytes() == 0);
        assertNull(ClusterNodes.join(in.takeAsync()), "the channel closed and drained: null");
        assertEquals(0, in.lost());
        assertEquals(0, export.lost());
        RemoteChannelTest.eventually("the link ended", () -> export.links() == 0);
        export.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aSendBufferAddsItsSizeToTheBoundAndNothingElse(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        RemoteChannels buffered = nodes.remote(0, new RemoteOptions().window(WINDOW).sendBuffer(SEND_BUFFER)
                .heartbeat(Duration.ofMillis(500)).linkTimeout(Duration.ofSeconds(30))
                .connectTimeout(Duration.ofSeconds(30)).onFailure(failures::add));
        try {
            writerRun(buffered, "bp.buffered.", "writer link with a send buffer of " + SEND_BUFFER + ", " + mode,
                    MAX_AHEAD + SEND_BUFFER);
        } finally {
            ClusterNodes.join(buffered.close());
        }
    }

    /**
     * A fast remote writer on {@code writers} (node A) into a slow taker of a channel exported on node B:
     * the putter never gets more than {@code bound} values ahead, both links' counters stay within the
     * window, nothing is left on the event bus, every value arrives once, and the link ends cleanly.
     */
    private void writerRun(RemoteChannels writers, String addrPrefix, String label, int bound) throws Exception {
        String addr = addrPrefix + seq.incrementAndGet();
        Chan<Buffer> ch = chan(BUFFER);
        Export export = ClusterNodes.join(b.export(addr, ch, ValueCodec.of(Buffer.class)));
        RemoteWritePort<Buffer> out = ClusterNodes.join(writers.connectWriter(addr, ValueCodec.of(Buffer.class)));
        Run run = new Run(label, bound);
        run.counter("RemoteWritePort.inFlight (node A)", WINDOW, out::inFlight);
        run.receivingCounter("Export.inFlight (node B)", WINDOW, export::inFlight);
        CompletableFuture<Long> putter = goFuture(() -> run.put(out::put));
        CompletableFuture<Long> taker = goFuture(() -> run.take(ch));
        run.sample(taker);
        assertEquals(VALUES, putter.get(60, TimeUnit.SECONDS), "every put returned true");
        run.check();
        RemoteChannelTest.eventually("the event bus holds nothing once the run is over",
                () -> bus.pendingFrames() == 0 && bus.pendingBytes() == 0);
        assertEquals(VALUES, out.sent());
        assertEquals(0, out.lost());
        assertNull(ch.poll(), "nothing more arrived");
        out.close();
        RemoteChannelTest.eventually("the link ended", () -> export.links() == 0);
        export.close();
    }

    /** A putter's operation: {@code put} or a remote port's. */
    interface Put {
        boolean put(Buffer b);
    }

    /** One measured run: the putter, the slow taker, the sampler and what they saw. */
    static final class Run {
        final String name;
        /** How far ahead of the taker the putter may be. */
        final int maxAheadBound;
        final AtomicLong put = new AtomicLong();
        final AtomicLong taken = new AtomicLong();
        /** Most the putter was ever ahead of the taker, seen by the taker at each take. */
        final AtomicLong maxAhead = new AtomicLong();
        final List<String> counterNames = new ArrayList<>();
        final List<LongSupplier> counters = new ArrayList<>();
        final List<Integer> counterBounds = new ArrayList<>();
        final List<Long> counterMax = new ArrayList<>();
        /** How high each counter must have been seen while the taker stalled. */
        final List<Integer> counterReach = new ArrayList<>();
        long maxBusFrames;
        long maxBusBytes;
        /** Heap used after a full GC, bytes, one per sample. */
        final List<Long> heap = new ArrayList<>();
        long nanos;

        Run(String name, int maxAheadBound) {
            this.name = name;
            this.maxAheadBound = maxAheadBound;
        }

        /** A counter of the sending side (or a prefetch): it must reach {@code bound} while the taker stalls. */
        void counter(String what, int bound, LongSupplier c) {
            counter(what, bound, bound, c);
        }

        /**
         * A counter of a receiving link's queue ({@code received - handedOn}): while the taker stalls it
         * reaches the window less what the link handed on since its last grant of credit, which it sends
         * in batches of {@code window / 2}; so it must reach {@code bound - (bound / 2 - 1)}, and reaches
         * {@code bound} only when the stall begins right at a grant. The phase is the same at every
         * stall of a run (a batch divides the 1,000 values between stalls), so one run may never see it at the window.
         */
        void receivingCounter(String what, int bound, LongSupplier c) {
            counter(what, bound, bound - (bound / 2 - 1), c);
        }

        private void counter(String what, int bound, int reach, LongSupplier c) {
            counterNames.add(what);
            counters.add(c);
            counterBounds.add(bound);
            counterReach.add(reach);
            counterMax.add(0L);
        }

        /** The fast putter: as fast as it is let. */
        long put(Put op) {
            for (int i = 0; i < VALUES; i++) {
                Buffer v = Buffer.buffer(PAYLOAD).appendInt(i).appendBytes(new byte[PAYLOAD - 4]);
                if (!op.put(v)) {
                    return i;
                }
                put.incrementAndGet();
            }
            return VALUES;
        }

        /** The slow taker: every value, in order, with stalls; checks how far ahead the putter is. */
        long take(ReadPort<Buffer> in) {
            long t0 = System.nanoTime();
            for (int i = 0; i < VALUES; i++) {
                Buffer v = in.take();
                if (v == null || v.length() != PAYLOAD || v.getInt(0) != i) {
                    throw new AssertionError("value " + i + " expected, got "
                            + (v == null ? "null" : v.getInt(0) + " (" + v.length() + " bytes)"));
                }
                taken.set(i + 1);
                maxAhead.accumulateAndGet(put.get() - (i + 1), Math::max);
                if ((i + 1) % STALL_EVERY == 0) {
                    sleep(STALL_MS);
                }
            }
            nanos = System.nanoTime() - t0;
            return taken.get();
        }

        /** Samples the counters every 5 ms and the heap after a full GC each tenth of the run, until the taker is done. */
        void sample(CompletableFuture<Long> taker) throws Exception {
            var memory = ManagementFactory.getMemoryMXBean();
            long deadline = System.nanoTime() + Duration.ofSeconds(LONG ? 600 : 90).toNanos();
            long step = VALUES / SAMPLES;
            long next = step;
            while (!taker.isDone()) {
                Thread.sleep(5);
                readCounters();
                long t = taken.get();
                if (t >= next && t < VALUES) { // a heap sample each tenth of the run, whatever its speed
                    System.gc();
                    heap.add(memory.getHeapMemoryUsage().getUsed());
                    next = (t / step + 1) * step;
                }
                assertTrue(System.nanoTime() < deadline, name + ": the taker did not finish; took " + taken.get());
            }
            assertEquals(VALUES, taker.get(), "every value taken, once, in order");
        }

        private void readCounters() {
            for (int k = 0; k < counters.size(); k++) {
                long v = counters.get(k).getAsLong();
                if (v > counterMax.get(k)) {
                    counterMax.set(k, v);
                }
                assertTrue(v <= counterBounds.get(k), name + ": " + counterNames.get(k) + " = " + v
                        + " exceeds the window " + counterBounds.get(k));
            }
            maxBusFrames = Math.max(maxBusFrames, bus.pendingFrames());
            maxBusBytes = Math.max(maxBusBytes, bus.pendingBytes());
        }

        /** The assertions on what the run saw; prints the figures. */
        void check() {
            List<Long> h = heap.subList(Math.min(1, heap.size()), heap.size()); // the first sample warms up
            long min = h.stream().mapToLong(Long::longValue).min().orElse(0);
            long max = h.stream().mapToLong(Long::longValue).max().orElse(0);
            int third = Math.max(1, h.size() / 3);
            double first = h.subList(0, third).stream().mapToLong(Long::longValue).average().orElse(0);
            double last = h.subList(h.size() - third, h.size()).stream().mapToLong(Long::longValue).average().orElse(0);
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("RemoteBackPressureTest %s: %,d values of %d bytes in %d ms (taker stalls %d ms"
                            + " every %,d); putter at most %d ahead (bound %d); bus at most %d frames, %,d bytes pending;",
                    name, VALUES, PAYLOAD, nanos / 1_000_000, STALL_MS, STALL_EVERY, maxAhead.get(), maxAheadBound,
                    maxBusFrames, maxBusBytes));
            for (int k = 0; k < counters.size(); k++) {
                sb.append(String.format(" %s max %d;", counterNames.get(k), counterMax.get(k)));
            }
            sb.append(String.format(" heap after GC over %d samples: %.1f..%.1f MB (range %.2f MB),"
                            + " first third %.2f MB, last third %.2f MB (growth %+.2f MB); samples %s",
                    h.size(), min / (double) MB, max / (double) MB, (max - min) / (double) MB, first / MB, last / MB,
                    (last - first) / MB, h.stream().map(x -> String.format("%.1f", x / (double) MB)).toList()));
            System.out.println(sb);
            assertTrue(maxAhead.get() <= maxAheadBound, name + ": the putter ran " + maxAhead.get() + " ahead");
            // Within a quarter of the bound: how close the putter gets depends on when the link's
            // credit and the send buffer's hand-offs happen to line up (44-47 of 50 seen for a send buffer).
            assertTrue(maxAhead.get() >= maxAheadBound * 3 / 4, name + ": the putter was never held back near"
                    + " the bound (at most " + maxAhead.get() + " ahead): the taker was not the slow side");
            for (int k = 0; k < counters.size(); k++) {
                assertTrue(counterMax.get(k) >= counterReach.get(k), name + ": " + counterNames.get(k) + " reached only "
                        + counterMax.get(k) + " while the taker stalled, below " + counterReach.get(k) + " (window "
                        + counterBounds.get(k) + ")");
            }
            assertTrue(maxBusFrames <= MAX_BUS_FRAMES, name + ": " + maxBusFrames + " frames pending on the event bus");
            assertTrue(maxBusBytes <= MAX_BUS_BYTES, name + ": " + maxBusBytes + " bytes pending");
            assertTrue(bus.delivered.get() > VALUES, "the event-bus counters saw the run's frames: " + bus.delivered.get());
            assertTrue(h.size() >= SAMPLES / 2, name + ": too few heap samples (" + h.size() + ") to judge");
            assertTrue(max - min <= FLAT_MB * MB, name + ": heap after GC ranged " + (max - min) / (double) MB + " MB");
            assertTrue(Math.abs(last - first) <= FLAT_MB * MB / 2, name + ": heap after GC grew "
                    + (last - first) / MB + " MB from the first third of the run to the last");
        }
    }

    /**
     * Vert.x event-bus metrics of every node of the cluster: frames to a csp4j node address written
     * to the bus's TCP connection, and those handed to the node's consumer. Their difference is what
     * the event bus holds (its write queue, the socket, the consumer's queue).
     */
    static final class BusCounters implements VertxMetricsFactory {
        final AtomicLong written = new AtomicLong();
        final AtomicLong writtenBytes = new AtomicLong();
        final AtomicLong read = new AtomicLong();
        final AtomicLong readBytes = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();

        long pendingFrames() {
            long d = delivered.get(); // first: a frame is counted written before it is delivered
            return written.get() - d;
        }

        long pendingBytes() {
            long r = readBytes.get();
            return writtenBytes.get() - r;
        }

        @Override
        public VertxMetrics metrics(VertxOptions options) {
            return new VertxMetrics() {
                @Override
                public EventBusMetrics<?> createEventBusMetrics() {
                    return new EventBusMetrics<Boolean>() {
                        @Override
                        public Boolean handlerRegistered(String address) {
                            return address.startsWith("csp4j.node.");
                        }

                        @Override
                        public void messageDelivered(Boolean nodeAddress, boolean local) {
                            if (Boolean.TRUE.equals(nodeAddress)) {
                                delivered.incrementAndGet();
                            }
                        }

                        @Override
                        public void messageWritten(String address, int numberOfBytes) {
                            if (address.startsWith("csp4j.node.")) {
                                // The written frame has a 4-byte length prefix that messageRead does not count.
                                writtenBytes.addAndGet(numberOfBytes - 4);
                                written.incrementAndGet();
                            }
                        }

                        @Override
                        public void messageRead(String address, int numberOfBytes) {
                            if (address.startsWith("csp4j.node.")) {
                                readBytes.addAndGet(numberOfBytes);
                                read.incrementAndGet();
                            }
                        }
                    };
                }
            };
        }
    }
}
