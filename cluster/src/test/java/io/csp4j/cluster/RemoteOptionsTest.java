package io.csp4j.cluster;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings and a Vert.x that is not clustered fail at once, with messages that name the fix. */
class RemoteOptionsTest {

    @Test
    void badSettingsAreRefused() {
        RemoteOptions o = new RemoteOptions();
        assertEquals(64, o.window());
        assertEquals(Duration.ofSeconds(5), o.linkTimeout());
        assertEquals(Duration.ofSeconds(1), o.heartbeat());
        var w = assertThrows(IllegalArgumentException.class, () -> o.window(0));
        assertTrue(w.getMessage().contains("window must be at least 1"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.heartbeat(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> o.linkTimeout(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> o.connectTimeout(null));
        assertThrows(NullPointerException.class, () -> o.onFailure(null));
        assertEquals(0, o.sendBuffer(), "no send buffer by default");
        var b = assertThrows(IllegalArgumentException.class, () -> o.sendBuffer(-1));
        assertTrue(b.getMessage().contains("sendBuffer must be 0 (none) or more"), b.getMessage());
        assertEquals(32, o.sendBuffer(32).copy().sendBuffer(), "copied with the other settings");
    }

    @Test
    void aVertxThatIsNotClusteredIsRefusedWithTheWayToClusterIt() {
        Vertx plain = Vertx.vertx();
        try {
            var e = assertThrows(IllegalArgumentException.class, () -> RemoteChannels.create(plain, new RemoteOptions()));
            assertTrue(e.getMessage().contains("needs a clustered Vert.x"), e.getMessage());
            assertTrue(e.getMessage().contains("withClusterManager"), e.getMessage());
        } finally {
            plain.close();
        }
    }

    @Test
    void codecsForNonBuiltInTypesNameTheAlternatives() {
        var e = assertThrows(IllegalArgumentException.class, () -> ValueCodec.of(java.util.UUID.class));
        assertTrue(e.getMessage().contains("ValueCodec.json(UUID.class)"), e.getMessage());
        assertTrue(e.getMessage().contains("ValueCodec.codec(UUID.class, messageCodec)"), e.getMessage());
        assertEquals(String.class, ValueCodec.of(String.class).type());
        assertTrue(ValueCodec.isBuiltIn(io.vertx.core.buffer.Buffer.buffer("x").getClass()), "Buffer implementations count");
    }
}
