package io.csp4j.cluster;

import static io.csp4j.Csp.*;
import static io.csp4j.cluster.ClusterNodes.join;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One link over a TLS event bus: a self-signed certificate made here, {@code trustAll=false}, client
 * authentication required, two Hazelcast nodes on 127.0.0.1. Values cross in both directions.
 */
class RemoteTlsTest {

    static ClusterNodes nodes;
    static RemoteChannels owner;
    static RemoteChannels client;
    static final List<RemoteLinkException> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTlsCluster() {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        nodes = ClusterNodes.start("csp4j-RemoteTlsTest", 5831, 2, eb -> eb
                .setSsl(true)
                .setKeyCertOptions(cert.keyCertOptions())
                .setTrustOptions(cert.trustOptions())
                .setTrustAll(false)
                .setClientAuth(ClientAuth.REQUIRED));
        assertTrue(nodes.get(0).isClustered());
        RemoteOptions o = new RemoteOptions().window(4).heartbeat(Duration.ofMillis(200))
                // The first message opens the TLS connection between the nodes: slow on a loaded machine.
                .connectTimeout(Duration.ofSeconds(30)).onFailure(failures::add);
        owner = nodes.remote(0, o);
        client = nodes.remote(1, o);
    }

    @AfterAll
    static void stop() {
        join(owner.close());
        join(client.close());
        nodes.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void valuesCrossATlsLinkBothWays(ProcessMode mode) {
        Csp.useProcessMode(mode);
        String in = "tls.in." + mode;
        String out = "tls.out." + mode;
        Chan<String> requests = chan(8);
        Chan<String> replies = chan(8);
        join(owner.export(in, requests, ValueCodec.of(String.class)));
        join(owner.export(out, replies, ValueCodec.of(String.class)));
        // The owner echoes each request, upper-cased.
        go(() -> {
            for (String r; (r = requests.take()) != null; ) {
                replies.put(r.toUpperCase());
            }
            replies.close();
        });
        RemoteWritePort<String> w = join(client.connectWriter(in, ValueCodec.of(String.class)));
        RemoteReadPort<String> r = join(client.connectReader(out, ValueCodec.of(String.class)));
        List<String> got = join(goFuture(() -> {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                assertTrue(w.put("v" + i));
                l.add(r.take());
            }
            return l;
        }));
        for (int i = 0; i < 200; i++) {
            assertEquals("V" + i, got.get(i));
        }
        requests.close();
        assertNull(join(r.takeAsync()), "the owner's close reached the remote reader");
        assertEquals(List.of(), failures);
    }
}
