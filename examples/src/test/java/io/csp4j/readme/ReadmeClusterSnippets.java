package io.csp4j.readme;

import static io.csp4j.Csp.*;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.cluster.RemoteChannels;
import io.csp4j.cluster.RemoteOptions;
import io.csp4j.cluster.RemoteReadPort;
import io.csp4j.cluster.RemoteWritePort;
import io.csp4j.cluster.ValueCodec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The README's snippets about channels across JVMs, verbatim (see ReadmeSnippets). They need a
 * cluster of several JVMs (and certificates), so ReadmeTest checks that they compile and agree with
 * the README, and does not run them; the cluster module's own tests run a real cluster.
 */
@SuppressWarnings("unused")
final class ReadmeClusterSnippets {

    private ReadmeClusterSnippets() {}

    /** The value of the snippet, carried as JSON. */
    record Order(String id, int quantity) {}

    static void hazelcastOnLoopback() {
        // @start region="cluster-hazelcast"
        Config hz = ConfigUtil.loadConfig();                       // io.vertx.spi.cluster.hazelcast.ConfigUtil
        hz.setClusterName("orders");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        NetworkConfig net = hz.getNetworkConfig().setPort(5701).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        net.getJoin().getMulticastConfig().setEnabled(false);
        net.getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:5701").addMember("127.0.0.1:5702");
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
                .withClusterManager(new HazelcastClusterManager(hz))
                .buildClustered().await();
        RemoteChannels remote = RemoteChannels.create(vertx, new RemoteOptions()).toCompletableFuture().join();

        // on the node that owns the channel
        Chan<Order> orders = chan(100);
        remote.export("orders", orders, ValueCodec.json(Order.class));

        // on any node
        RemoteWritePort<Order> out = remote.connectWriter("orders", ValueCodec.json(Order.class)).toCompletableFuture().join();
        RemoteReadPort<Order> in = remote.connectReader("orders", ValueCodec.json(Order.class)).toCompletableFuture().join();
        go(() -> { out.put(new Order("o-1", 3)); });
        AltResult r = alts(in, timeout(1000));                     // remote and local ports in one alts
        // @end
    }

    static void tls() {
        // @start region="cluster-tls"
        new EventBusOptions().setHost("127.0.0.1")
                .setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false)
                .setKeyCertOptions(new PemKeyCertOptions().setKeyPath("node-key.pem").setCertPath("node-cert.pem"))
                .setTrustOptions(new PemTrustOptions().addCertPath("cluster-ca.pem"));
        // @end
    }
}
