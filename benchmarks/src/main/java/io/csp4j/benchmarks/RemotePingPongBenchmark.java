package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.csp4j.Chan;
import io.csp4j.cluster.RemoteChannels;
import io.csp4j.cluster.RemoteOptions;
import io.csp4j.cluster.RemoteReadPort;
import io.csp4j.cluster.RemoteWritePort;
import io.csp4j.cluster.ValueCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W9 (benchmarks/README.md): channels across JVMs. Two clustered Vert.x nodes (Hazelcast, TCP join on
 * 127.0.0.1) in this JVM; node A owns the channels, node B connects. {@code remotePingPong}: a round
 * trip through a remote writer and a remote reader (B puts on A's "ping", a go block on A echoes to
 * "pong", B takes), in ns per round trip; {@code remoteStream}: one-way streaming from a remote writer
 * on B into A's {@code chan(128)}, in ns per value (window 64); {@code remoteStreamBuffered}: the same
 * through a writer with a send buffer of 64 ({@code RemoteOptions.sendBuffer}), whose puts return
 * once the value is buffered instead of once the link took it. Beside them, raw event-bus
 * {@code request} round trips and fire-and-forget {@code send}s between the same two nodes. Both
 * nodes share one JVM, but their traffic crosses the real TCP connection of the clustered event bus.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class RemotePingPongBenchmark {

    /** Round trips per ping-pong invocation. */
    public static final int ROUNDS = 1_000;
    /** Values per streaming invocation. */
    public static final int VALUES = 10_000;

    Vertx a;
    Vertx b;
    RemoteChannels ra;
    RemoteChannels rb;
    /** Node B's second RemoteChannels: its writers have a send buffer. */
    RemoteChannels rbBuffered;
    RemoteWritePort<Integer> ping;
    RemoteReadPort<Integer> pong;
    RemoteWritePort<Integer> streamOut;
    Chan<Integer> streamIn;
    RemoteWritePort<Integer> bufferedOut;
    Chan<Integer> bufferedIn;
    MessageConsumer<Integer> echo;
    MessageConsumer<Integer> sink;
    final AtomicInteger sunk = new AtomicInteger();
    volatile CompletableFuture<Void> sinkDone;

    @Setup(Level.Trial)
    public void startCluster() throws Exception {
        int[] ports = {5891, 5892};
        a = node(ports[0], ports);
        b = node(ports[1], ports);
        // The raw send scenario floods the nodes' shared connection (no flow control): a long link
        // timeout keeps the idle links of the other scenarios from failing meanwhile.
        RemoteOptions o = new RemoteOptions().window(64).linkTimeout(java.time.Duration.ofSeconds(60));
        ra = RemoteChannels.create(a, o).toCompletableFuture().get();
        rb = RemoteChannels.create(b, o).toCompletableFuture().get();
        rbBuffered = RemoteChannels.create(b, new RemoteOptions().window(64).sendBuffer(64)
                .linkTimeout(java.time.Duration.ofSeconds(60))).toCompletableFuture().get();
        Chan<Integer> pingIn = chan(1);
        Chan<Integer> pongOut = chan(1);
        ra.export("w9.ping", pingIn, ValueCodec.of(Integer.class)).toCompletableFuture().get();
        ra.export("w9.pong", pongOut, ValueCodec.of(Integer.class)).toCompletableFuture().get();
        go(() -> {
            for (Integer v; (v = pingIn.take()) != null; ) {
                pongOut.put(v);
            }
        });
        streamIn = chan(128);
        ra.export("w9.stream", streamIn, ValueCodec.of(Integer.class)).toCompletableFuture().get();
        ping = rb.connectWriter("w9.ping", ValueCodec.of(Integer.class)).toCompletableFuture().get();
        pong = rb.connectReader("w9.pong", ValueCodec.of(Integer.class)).toCompletableFuture().get();
        streamOut = rb.connectWriter("w9.stream", ValueCodec.of(Integer.class)).toCompletableFuture().get();
        bufferedIn = chan(128);
        ra.export("w9.stream.buffered", bufferedIn, ValueCodec.of(Integer.class)).toCompletableFuture().get();
        bufferedOut = rbBuffered.connectWriter("w9.stream.buffered", ValueCodec.of(Integer.class))
                .toCompletableFuture().get();
        echo = a.eventBus().consumer("w9.raw.echo", m -> m.reply(m.body()));
        sink = a.eventBus().consumer("w9.raw.sink", m -> {
            if (sunk.incrementAndGet() == VALUES) {
                sinkDone.complete(null);
            }
        });
        Future.all(echo.completion(), sink.completion()).toCompletionStage().toCompletableFuture().get();
    }

    @TearDown(Level.Trial)
    public void stopCluster() throws Exception {
        rbBuffered.close().toCompletableFuture().get();
        rb.close().toCompletableFuture().get();
        ra.close().toCompletableFuture().get();
        b.close().toCompletionStage().toCompletableFuture().get();
        a.close().toCompletionStage().toCompletableFuture().get();
    }

    /** Round trips through remote channels; the echo sum. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long remotePingPong() {
        return Await.take(go(() -> {
            long sum = 0;
            for (int i = 0; i < ROUNDS; i++) {
                ping.put(i);
                sum += pong.take();
            }
            return sum;
        }));
    }

    /** One-way streaming through a remote writer into the owner's channel; the sum taken. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long remoteStream() {
        go(() -> {
            for (int i = 0; i < VALUES; i++) {
                streamOut.put(i);
            }
        });
        return Await.take(go(() -> {
            long sum = 0;
            for (int i = 0; i < VALUES; i++) {
                sum += streamIn.take();
            }
            return sum;
        }));
    }

    /** One-way streaming through a remote writer with a send buffer of 64; the sum taken. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long remoteStreamBuffered() {
        go(() -> {
            for (int i = 0; i < VALUES; i++) {
                bufferedOut.put(i);
            }
        });
        return Await.take(go(() -> {
            long sum = 0;
            for (int i = 0; i < VALUES; i++) {
                sum += bufferedIn.take();
            }
            return sum;
        }));
    }

    /** Raw event bus: sequential request/reply round trips from B to A. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long eventBusRequest() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        b.runOnContext(v -> requestLoop(0, 0, done));
        return done.get(60, TimeUnit.SECONDS);
    }

    private void requestLoop(int i, long sum, CompletableFuture<Long> done) {
        if (i == ROUNDS) {
            done.complete(sum);
            return;
        }
        b.eventBus().<Integer>request("w9.raw.echo", i).onComplete(ar -> {
            if (ar.failed()) {
                done.completeExceptionally(ar.cause());
            } else {
                requestLoop(i + 1, sum + ar.result().body(), done);
            }
        });
    }

    /** Raw event bus: fire-and-forget sends from B to A (no flow control), until all arrived. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public int eventBusSend() throws Exception {
        sunk.set(0);
        sinkDone = new CompletableFuture<>();
        b.runOnContext(v -> {
            for (int i = 0; i < VALUES; i++) {
                b.eventBus().send("w9.raw.sink", i);
            }
        });
        sinkDone.get(60, TimeUnit.SECONDS);
        return sunk.get();
    }

    private static Vertx node(int port, int[] ports) throws Exception {
        Config cfg = ConfigUtil.loadConfig();
        cfg.setClusterName("csp4j-w9");
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        cfg.setProperty("hazelcast.logging.type", "none");
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        net.getJoin().getMulticastConfig().setEnabled(false);
        net.getJoin().getAutoDetectionConfig().setEnabled(false);
        net.getJoin().getTcpIpConfig().setEnabled(true);
        for (int p : ports) {
            net.getJoin().getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        return Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
                .withClusterManager(new HazelcastClusterManager(cfg))
                .buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
