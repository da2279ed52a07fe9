package io.csp4j.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real Hazelcast cluster of clustered Vert.x nodes on 127.0.0.1 only: TCP-IP join with explicit
 * member ports, multicast and auto-detection off, {@code hazelcast.socket.bind.any=false}, phone-home
 * off, one cluster name per test class. Also used by the child JVM of {@code NodeDeathTest} and by
 * the cluster-pipeline example.
 */
public final class ClusterNodes implements AutoCloseable {

    private final List<Vertx> nodes = new ArrayList<>();

    private ClusterNodes() {}

    /** The Hazelcast config of one member on {@code port}, joining the members on {@code memberPorts}. */
    public static Config hazelcast(String clusterName, int port, int... memberPorts) {
        Config cfg = ConfigUtil.loadConfig();
        cfg.setClusterName(clusterName);
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        cfg.setProperty("hazelcast.logging.type", "none");
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.tcp.join.port.try.count", "1");
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int p : memberPorts) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        return cfg;
    }

    /** Starts one clustered Vert.x node on 127.0.0.1. */
    public static Vertx node(String clusterName, int port, int[] memberPorts, UnaryOperator<EventBusOptions> bus) {
        return node(clusterName, port, memberPorts, bus, null);
    }

    /** Starts one clustered Vert.x node on 127.0.0.1, with {@code metrics} (or none if null). */
    public static Vertx node(String clusterName, int port, int[] memberPorts, UnaryOperator<EventBusOptions> bus,
                             VertxMetricsFactory metrics) {
        EventBusOptions eb = bus.apply(new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1").setPort(0));
        VertxOptions vo = new VertxOptions().setEventBusOptions(eb);
        try {
            VertxBuilder b = Vertx.builder().with(vo).withClusterManager(new HazelcastClusterManager(hazelcast(clusterName, port, memberPorts)));
            if (metrics != null) {
                vo.setMetricsOptions(new MetricsOptions().setEnabled(true));
                b = b.with(vo).withMetrics(metrics);
            }
            return b.buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a cluster node on 127.0.0.1:" + port, e);
        }
    }

    /** Starts {@code n} nodes on ports {@code basePort..basePort+n-1}, one after the other. */
    public static ClusterNodes start(String clusterName, int basePort, int n, UnaryOperator<EventBusOptions> bus) {
        return start(clusterName, basePort, n, bus, null);
    }

    /** As {@link #start(String, int, int, UnaryOperator)}, every node with {@code metrics} (or none if null). */
    public static ClusterNodes start(String clusterName, int basePort, int n, UnaryOperator<EventBusOptions> bus,
                                     VertxMetricsFactory metrics) {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = basePort + i;
        }
        ClusterNodes c = new ClusterNodes();
        // The first member alone (it becomes the master), then the others together: they join a
        // running cluster, so no second cluster can form.
        c.nodes.add(node(clusterName, ports[0], ports, bus, metrics));
        List<java.util.concurrent.CompletableFuture<Vertx>> rest = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int port = ports[i];
            rest.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> node(clusterName, port, ports, bus, metrics)));
        }
        rest.forEach(f -> c.nodes.add(f.join()));
        return c;
    }

    public Vertx get(int i) {
        return nodes.get(i);
    }

    /** A RemoteChannels on node {@code i}. */
    public RemoteChannels remote(int i, RemoteOptions o) {
        return join(RemoteChannels.create(nodes.get(i), o));
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
