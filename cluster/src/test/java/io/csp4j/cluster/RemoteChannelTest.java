package io.csp4j.cluster;

import static io.csp4j.Csp.*;
import static io.csp4j.cluster.ClusterNodes.join;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Remote ports on a real three-node Hazelcast cluster in this JVM (node 0 owns the channels, nodes 1
 * and 2 connect): ordering, many-to-many, offer/poll/async forms, close from either side, alts over
 * remote and local ports, back-pressure, unknown addresses. Both process modes.
 */
class RemoteChannelTest {

    static ClusterNodes nodes;
    static RemoteChannels a;
    static RemoteChannels b;
    static RemoteChannels c;
    static final List<RemoteLinkException> failures = new CopyOnWriteArrayList<>();
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void startCluster() {
        nodes = ClusterNodes.start("csp4j-RemoteChannelTest", 5811, 3, eb -> eb);
        // No test here kills a node: a long link timeout keeps a loaded machine's pauses from failing links.
        RemoteOptions o = new RemoteOptions().window(8).heartbeat(Duration.ofMillis(200))
                .linkTimeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(30)).onFailure(failures::add);
        io.vertx.core.json.JsonObject.mapFrom(new Order("warm-up", 0, List.of())); // load Jackson off the event loops
        a = nodes.remote(0, o);
        b = nodes.remote(1, o);
        c = nodes.remote(2, o);
    }

    @AfterAll
    static void stopCluster() {
        join(a.close());
        join(b.close());
        join(c.close());
        nodes.close();
    }

    @AfterEach
    void noLinkFailed() {
        List<RemoteLinkException> seen = List.copyOf(failures);
        failures.clear();
        assertEquals(List.of(), seen, "no link failed and nothing was lost");
    }

    static String address() {
        return "test." + seq.incrementAndGet();
    }

    static <T> Export export(RemoteChannels on, String addr, Chan<T> ch, ValueCodec<T> codec) {
        return join(on.export(addr, ch, codec));
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    static final ValueCodec<Integer> INT = ValueCodec.of(Integer.class);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void valuesOfOneProducerArriveInOrderThroughTwoLinks(ProcessMode mode) {
        Csp.useProcessMode(mode);
        String addr = address();
        export(a, addr, chan(4), INT);
        RemoteWritePort<Integer> out = join(b.connectWriter(addr, INT));
        RemoteReadPort<Integer> in = join(c.connectReader(addr, INT));
        int n = 3000;
        go(() -> {
            for (int i = 0; i < n; i++) {
                assertTrue(out.put(i));
            }
        });
        List<Integer> got = join(goFuture(() -> {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(in.take());
            }
            return l;
        }));
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i));
        }
        assertNull(in.poll(), "nothing more");
        assertEquals(n, out.sent());
        out.close();
        in.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void manyWritersAndReadersOnThreeNodesSeeEveryValueExactlyOnce(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        String addr = address();
        Chan<Integer> ch = chan(16);
        export(a, addr, ch, INT);
        int producers = 4;
        int perProducer = 600;
        int total = producers * perProducer;
        List<RemoteWritePort<Integer>> writers = List.of(join(b.connectWriter(addr, INT)), join(b.connectWriter(addr, INT)),
                join(c.connectWriter(addr, INT)), join(c.connectWriter(addr, INT)));
        List<io.csp4j.ReadPort<Integer>> readers = List.of(ch, join(b.connectReader(addr, INT)), join(c.connectReader(addr, INT)));
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        List<Chan<List<Integer>>> byReader = new ArrayList<>();
        for (io.csp4j.ReadPort<Integer> r : readers) {
            byReader.add(go(() -> {
                List<Integer> mine = new ArrayList<>();
                while (count.get() < total) {
                    AltResult res = alts(r, timeout(50));
                    if (res.from(r) && res.value() != null) {
                        int v = res.valueAs();
                        mine.add(v);
                        seen.merge(v, 1, Integer::sum);
                        count.incrementAndGet();
                    }
                }
                return mine;
            }));
        }
        for (int p = 0; p < producers; p++) {
            RemoteWritePort<Integer> w = writers.get(p);
            int base = p * 1_000_000;
            go(() -> {
                for (int i = 0; i < perProducer; i++) {
                    assertTrue(w.put(base + i));
                }
            });
        }
        for (Chan<List<Integer>> r : byReader) {
            List<Integer> mine = join(r.takeAsync());
            // Per producer, a reader sees that producer's values in increasing order.
            Map<Integer, Integer> last = new java.util.HashMap<>();
            for (int v : mine) {
                Integer prev = last.put(v / 1_000_000, v);
                assertTrue(prev == null || prev < v, "order of producer " + v / 1_000_000 + ": " + prev + " then " + v);
            }
        }
        assertEquals(total, seen.size(), "every value arrived");
        assertTrue(seen.values().stream().allMatch(k -> k == 1), "no value arrived twice");
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < perProducer; i++) {
                assertTrue(seen.containsKey(p * 1_000_000 + i));
            }
        }
        writers.forEach(RemoteWritePort::close);
        readers.forEach(io.csp4j.ReadPort::close);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void offerPollAndTheAsyncForms(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        String addr = address();
        export(a, addr, chan(1), ValueCodec.of(String.class));
        RemoteReadPort<String> in = join(b.connectReader(addr, ValueCodec.of(String.class)));
        RemoteWritePort<String> out = join(c.connectWriter(addr, ValueCodec.of(String.class)));
        assertNull(in.poll(), "nothing has arrived");
        assertEquals(Boolean.TRUE, join(out.putAsync("a")));
        String[] polled = new String[1];
        eventually("poll sees the value", () -> (polled[0] = in.poll()) != null);
        assertEquals("a", polled[0]);
        var taken = in.takeAsync();
        eventually("offer finds credit", () -> out.offer("b"));
        assertEquals("b", join(taken));
        var cb = new java.util.concurrent.CompletableFuture<Object>();
        in.takeAsync(cb::complete);
        var put = new java.util.concurrent.CompletableFuture<Boolean>();
        out.putAsync("c", put::complete);
        assertEquals(Boolean.TRUE, join(put));
        assertEquals("c", join(cb));
        out.close();
        in.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void closingTheExportedChannelReachesEveryRemotePort(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        for (boolean viaExport : new boolean[] {true, false}) {
            String addr = address();
            Chan<Integer> ch = chan(10);
            for (int i = 0; i < 5; i++) {
                ch.put(i);
            }
            Export e = export(a, addr, ch, INT);
            RemoteReadPort<Integer> in = join(b.connectReader(addr, INT));
            RemoteWritePort<Integer> out = join(c.connectWriter(addr, INT));
            if (viaExport) {
                e.closeChannel();
            } else {
                ch.close(); // noticed within one heartbeat
            }
            List<Integer> got = join(goFuture(() -> {
                List<Integer> l = new ArrayList<>();
                for (Integer v; (v = in.take()) != null; ) {
                    l.add(v);
                }
                return l;
            }));
            assertEquals(List.of(0, 1, 2, 3, 4), got, "takers drain, then get null");
            assertTrue(in.isClosed());
            int accepted = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (out.put(100) && System.nanoTime() < deadline) {
                accepted++;
                Thread.sleep(20);
            }
            assertFalse(out.put(101), "puts return false once the close reached the writer");
            assertTrue(out.isClosed());
            int acc = accepted;
            // A put that was sent before the writer heard of the close was refused, counted and reported.
            eventually("refusals counted", () -> e.refused() == acc);
            assertEquals(acc, e.lost());
            assertEquals(acc, failures.size());
            failures.clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void closingARemotePortEndsOnlyItsLinkAndLosesNothing(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        String addr = address();
        Chan<Integer> ch = chan(100);
        for (int i = 0; i < 20; i++) {
            ch.put(i);
        }
        Export e = export(a, addr, ch, INT);
        RemoteReadPort<Integer> in = join(b.connectReader(addr, INT));
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            got.add(join(in.takeAsync()));
        }
        in.close();
        assertTrue(in.isClosed());
        // What was prefetched stays takeable, then null.
        for (Integer v; (v = join(in.takeAsync())) != null; ) {
            assertTrue(got.add(v));
        }
        assertTrue(got.size() <= 3 + 8, "at most a window was prefetched: " + got.size());
        assertFalse(ch.isClosed(), "the owner's channel stays open");
        for (Integer v; (v = ch.poll()) != null; ) {
            assertTrue(got.add(v), "no value twice: " + v);
        }
        assertEquals(20, got.size(), "nothing lost");

        RemoteWritePort<Integer> out = join(c.connectWriter(addr, INT));
        for (int i = 0; i < 5; i++) {
            assertTrue(out.put(i));
        }
        out.close();
        assertFalse(out.put(9), "after close");
        List<Integer> arrived = new ArrayList<>();
        eventually("the five values arrive", () -> {
            for (Integer v; (v = ch.poll()) != null; ) {
                arrived.add(v);
            }
            return arrived.size() == 5;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), arrived);
        eventually("both links ended on the owner", () -> e.links() == 0);
        assertFalse(ch.isClosed());
        assertEquals(0, e.lost());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void altsMixesRemoteAndLocalPorts(ProcessMode mode) {
        Csp.useProcessMode(mode);
        String addr = address();
        Chan<Integer> owned = chan();
        export(a, addr, owned, INT);
        RemoteReadPort<Integer> remote = join(b.connectReader(addr, INT));
        Chan<Integer> local = chan();
        for (int round = 0; round < 200; round++) {
            boolean viaRemote = ThreadLocalRandom.current().nextBoolean();
            int v = round;
            Chan<AltResult> r = go(() -> alts(remote, local));
            go(() -> (viaRemote ? owned : local).put(v));
            AltResult res = join(r.takeAsync());
            assertEquals(v, res.value());
            assertSame(viaRemote ? remote : local, res.channel(), "the result names the port used");
        }
        // A local value wins a priority alts; the remote values stay takeable, in order, none lost.
        go(() -> {
            for (int i = 0; i < 3; i++) {
                owned.put(1000 + i);
            }
        });
        Chan<Integer> ready = chan(1);
        ready.put(-1);
        AltResult first = join(goFuture(() -> altsPriority(ready, remote)));
        assertSame(ready, first.channel());
        for (int i = 0; i < 3; i++) {
            assertEquals(1000 + i, join(remote.takeAsync()));
        }
        // A put onto a remote port through alts.
        RemoteWritePort<Integer> out = join(c.connectWriter(addr, INT));
        Chan<Integer> never = chan();
        AltResult put = join(goFuture(() -> alts(putOp(out, 7), takeOp(never))));
        assertSame(out, put.channel());
        assertEquals(Boolean.TRUE, put.value());
        assertEquals(7, join(remote.takeAsync()));
        out.close();
        remote.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void backPressureBoundsWhatIsInFlight(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        int window = 8;
        // A writer with nobody taking on the owner: at most the owner's credit is ever sent.
        String addr = address();
        Chan<Integer> ch = chan(1);
        export(a, addr, ch, INT);
        RemoteWritePort<Integer> out = join(b.connectWriter(addr, INT));
        int n = 500;
        Chan<Void> producer = go(() -> {
            for (int i = 0; i < n; i++) {
                out.put(i);
            }
        });
        Thread.sleep(800);
        // channel buffer 1 + window 8 in the owner's link (one of them parked in the channel's put queue)
        assertTrue(out.sent() <= window + 1, "sent " + out.sent() + " with nobody taking");
        assertTrue(out.sent() >= window, "the window was used: " + out.sent());
        long maxInFlight = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(i, join(ch.takeAsync()), "in order");
            maxInFlight = Math.max(maxInFlight, out.sent() - (i + 1));
        }
        assertTrue(maxInFlight <= window + 1, "in flight at most the window: " + maxInFlight);
        join(producer.takeAsync());

        // A reader that never takes: the owner sends exactly one window, the rest stays in its channel.
        String addr2 = address();
        Chan<Integer> full = chan(1000);
        for (int i = 0; i < 1000; i++) {
            full.put(i);
        }
        export(a, addr2, full, INT);
        RemoteReadPort<Integer> in = join(c.connectReader(addr2, INT));
        Thread.sleep(800);
        int left = 0;
        while (full.poll() != null) {
            left++;
        }
        assertEquals(1000 - window, left, "a reader prefetches exactly its window");
        for (int i = 0; i < window; i++) {
            assertEquals(i, join(in.takeAsync()));
        }
        out.close();
        in.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aSendBufferLetsPutsReturnBeforeTheLinkTookThemAndCountsWhatItHeldAsLost(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        int window = 8;
        int sendBuffer = 4;
        RemoteChannels buffered = nodes.remote(1, new RemoteOptions().window(window).sendBuffer(sendBuffer)
                .heartbeat(Duration.ofMillis(200)).linkTimeout(Duration.ofSeconds(30))
                .connectTimeout(Duration.ofSeconds(30)).onFailure(failures::add));
        try {
            // Nobody takes on the owner: the link sends its window, the buffer takes 4 more puts, the next waits.
            String addr = address();
            Chan<Integer> ch = chan(1);
            Export e = export(a, addr, ch, INT);
            RemoteWritePort<Integer> out = join(buffered.connectWriter(addr, INT));
            int n = 200;
            AtomicInteger done = new AtomicInteger();
            Chan<Void> putter = go(() -> {
                for (int i = 0; i < n; i++) {
                    if (!out.put(i)) {
                        return;
                    }
                    done.incrementAndGet();
                }
            });
            eventually("the window and the send buffer filled", () -> done.get() == window + sendBuffer);
            Thread.sleep(300);
            assertEquals(window + sendBuffer, done.get(), "puts returned for the window and the buffer, then waited");
            assertEquals(window, out.sent(), "only the window was sent");
            assertEquals(window, out.inFlight());
            // Every value arrives once, in order.
            for (int i = 0; i < n; i++) {
                assertEquals(i, join(ch.takeAsync()));
            }
            join(putter.takeAsync());
            assertEquals(n, out.sent());
            assertEquals(0, out.lost());
            out.close();
            eventually("the link ended", () -> e.links() == 0);

            // The owner closes its channel while the buffer holds values: each put that returned true is
            // taken, or counted lost by the owner (refused) or by the port (buffered or parked).
            String addr2 = address();
            Chan<Integer> ch2 = chan(1);
            Export e2 = export(a, addr2, ch2, INT);
            RemoteWritePort<Integer> out2 = join(buffered.connectWriter(addr2, INT));
            AtomicInteger accepted = new AtomicInteger();
            Chan<Void> putter2 = go(() -> {
                for (int i = 0; i < n; i++) {
                    if (!out2.put(i)) {
                        return;
                    }
                    accepted.incrementAndGet();
                }
            });
            eventually("the window and the send buffer filled", () -> accepted.get() == window + sendBuffer);
            Thread.sleep(200); // the next put is parked on the full buffer
            e2.closeChannel();
            join(putter2.takeAsync());
            eventually("puts return false", out2::isClosed);
            assertFalse(out2.put(-1));
            // 4 buffered and 1 parked when CANCEL came: counted lost on the port (just after they are
            // released, so the putter may see false a moment before the count).
            eventually("the buffered and the parked puts are counted lost", () -> out2.lost() == sendBuffer + 1);
            Thread.sleep(100);
            assertEquals(sendBuffer + 1, out2.lost(), "the buffered and the parked puts, no more");
            assertEquals(window + sendBuffer + 1, accepted.get());
            List<Integer> got = new ArrayList<>();
            eventually("every accepted value is taken or counted lost", () -> {
                for (Integer v; (v = ch2.poll()) != null; ) {
                    got.add(v);
                }
                return got.size() + e2.lost() + out2.lost() == accepted.get();
            });
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i), "what was taken came in order: " + got);
            }
            assertEquals(e2.refused(), e2.lost());
            failures.clear(); // the losses above were reported, as they must be

            // Closing the port while its buffer holds values: they are still sent, then END.
            String addr3 = address();
            Chan<Integer> ch3 = chan(1);
            Export e3 = export(a, addr3, ch3, INT);
            RemoteWritePort<Integer> out3 = join(buffered.connectWriter(addr3, INT));
            int held = window + sendBuffer;
            assertEquals(held, join(goFuture(() -> {
                int k = 0;
                while (k < held && out3.put(k)) {
                    k++;
                }
                return k;
            })), "every put returned without a taker");
            out3.close();
            assertFalse(out3.put(99), "after close");
            for (int i = 0; i < held; i++) {
                assertEquals(i, join(ch3.takeAsync()), "the buffered values follow the sent ones, in order");
            }
            eventually("the link ended", () -> e3.links() == 0);
            assertNull(ch3.poll());
            assertEquals(0, out3.lost());
            assertEquals(0, e3.lost());
        } finally {
            join(buffered.close());
        }
    }

    @Test
    void anAddressNobodyExportedFailsTheConnectAtOnce() {
        long t0 = System.nanoTime();
        var e = assertThrows(RemoteChannelException.class, () -> join(b.connectReader("nobody.here", INT)));
        assertTrue(e.getMessage().contains("No channel is exported at address 'nobody.here'"), e.getMessage());
        assertThrows(RemoteChannelException.class, () -> join(c.connectWriter("nobody.here", INT)));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos(), "did not wait for a timeout");
    }

    @Test
    void aSecondExportOfAnAddressIsRefusedAndUnexportEndsTheLinks() throws Exception {
        String addr = address();
        Chan<Integer> ch = chan(10);
        Export e = export(a, addr, ch, INT);
        var dup = assertThrows(IllegalStateException.class, () -> export(a, addr, chan(), INT));
        assertTrue(dup.getMessage().contains("already exported"), dup.getMessage());
        ch.put(1);
        RemoteReadPort<Integer> in = join(b.connectReader(addr, INT));
        RemoteWritePort<Integer> out = join(c.connectWriter(addr, INT));
        assertEquals(1, join(in.takeAsync()));
        e.close();
        assertNull(join(in.takeAsync()), "unexport ends reader links");
        eventually("puts return false after unexport", () -> !out.put(2) || ch.poll() == null && false);
        assertTrue(out.isClosed());
        assertFalse(ch.isClosed(), "unexport does not close the channel");
        // Right after unexport a node may still route CONNECT to the old owner (the cluster's
        // subscription cache), which then never answers: a short connect timeout for this check.
        RemoteChannels impatient = nodes.remote(1, new RemoteOptions().connectTimeout(Duration.ofSeconds(2)));
        eventually("connect fails after unexport", () -> {
            try {
                join(impatient.connectReader(addr, INT));
                return false;
            } catch (RemoteChannelException ex) {
                return true;
            }
        });
        join(impatient.close());
        // A put sent before the CANCEL arrived went into the channel (not lost): drain it.
        while (ch.poll() != null) { }
    }

    /** A record carried by Vert.x's JSON mapping. */
    public record Order(String id, int qty, List<String> tags) {}

    /** A class carried by a user codec (never by Java serialization). */
    static final class Point {
        final int x;
        final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    static final class PointCodec implements io.vertx.core.eventbus.MessageCodec<Point, Point> {
        @Override
        public void encodeToWire(io.vertx.core.buffer.Buffer buffer, Point p) {
            buffer.appendInt(p.x).appendInt(p.y);
        }

        @Override
        public Point decodeFromWire(int pos, io.vertx.core.buffer.Buffer buffer) {
            return new Point(buffer.getInt(pos), buffer.getInt(pos + 4));
        }

        @Override
        public Point transform(Point p) {
            return p;
        }

        @Override
        public String name() {
            return "csp4j-test-point";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void recordsUserCodecsAndBuiltInTypesCross(ProcessMode mode) {
        Csp.useProcessMode(mode);
        String addr = address();
        Chan<Order> orders = chan(4);
        export(a, addr, orders, ValueCodec.json(Order.class));
        RemoteWritePort<Order> ow = join(b.connectWriter(addr, ValueCodec.json(Order.class)));
        Order o = new Order("o-1", 3, List.of("red", "big"));
        assertTrue(join(ow.putAsync(o)));
        assertEquals(o, join(orders.takeAsync()));

        String addr2 = address();
        Chan<Point> points = chan(4);
        export(a, addr2, points, ValueCodec.codec(Point.class, new PointCodec()));
        RemoteReadPort<Point> pr = join(c.connectReader(addr2, ValueCodec.codec(Point.class, new PointCodec())));
        points.put(new Point(3, -4));
        Point p = join(pr.takeAsync());
        assertEquals(3, p.x);
        assertEquals(-4, p.y);

        String addr3 = address();
        Chan<Object> any = chan(16);
        export(a, addr3, any, ValueCodec.builtIn());
        RemoteWritePort<Object> aw = join(b.connectWriter(addr3, ValueCodec.builtIn()));
        List<Object> values = List.of("s", 42, 7L, 2.5d, true, 'c', new io.vertx.core.json.JsonObject().put("k", 1),
                new io.vertx.core.json.JsonArray().add(1).add("two"), io.vertx.core.buffer.Buffer.buffer("buf"));
        for (Object v : values) {
            assertTrue(join(aw.putAsync(v)));
        }
        assertTrue(join(aw.putAsync(new byte[] {1, 2, 3})));
        for (Object v : values) {
            assertEquals(v, join(any.takeAsync()));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) join(any.takeAsync()));
        ow.close();
        pr.close();
        aw.close();
    }

    @Test
    void aValueWithNoCodecFailsThePutWithAClearError() {
        String addr = address();
        Chan<Object> any = chan(4);
        export(a, addr, any, ValueCodec.builtIn());
        RemoteWritePort<Object> w = join(b.connectWriter(addr, ValueCodec.builtIn()));
        var e = assertThrows(IllegalArgumentException.class, () -> w.put(new java.util.ArrayList<>(List.of(1))));
        assertTrue(e.getMessage().contains("no codec for java.util.ArrayList"), e.getMessage());
        assertTrue(e.getMessage().contains("ValueCodec.json("), e.getMessage());
        assertTrue(e.getMessage().contains("Java serialization is never used"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.offer(new Object()));
        assertThrows(IllegalArgumentException.class, () -> w.putAsync(Thread.currentThread()));
        assertThrows(NullPointerException.class, () -> w.put(null));
        var typed = assertThrows(IllegalArgumentException.class, () -> ValueCodec.of(Order.class));
        assertTrue(typed.getMessage().contains("ValueCodec.json(Order.class)"), typed.getMessage());
        // The port still works after the refused values: nothing was sent for them.
        assertTrue(w.put("fine"));
        assertEquals("fine", join(any.takeAsync()));
        assertNull(any.poll());
        w.close();
    }
}
