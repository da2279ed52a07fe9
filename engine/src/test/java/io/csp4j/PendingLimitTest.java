package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.internal.ManyToManyChannel;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** core.async's limit of 1024 pending puts and takes per channel, and its messages: core.async's first sentence, exactly,
 * then the channel's name and the remedies. */
class PendingLimitTest extends EngineTestSupport {

    @Test
    void the1025thPendingPutIsRefusedWithCoreAsyncsMessage() {
        Chan<Integer> c = chan();
        for (int i = 0; i < 1024; i++) c.putAsync(i, ok -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.putAsync(1024, ok -> {}));
        assertEquals("No more than 1024 pending puts are allowed on a single channel. This channel (unbuffered)"
                + " already has 1024 putters waiting for a taker: give it a buffer (chan(n); Buffers.dropping(n) or"
                + " sliding(n) never make a put wait), or raise the limit with Csp.chanBuilder().maxPending(n) (or"
                + " -Dcsp4j.maxPending=n for every channel).", e.getMessage());
        // Nothing was lost: the 1024 pending values are all delivered, in order.
        for (int i = 0; i < 1024; i++) assertEquals(i, c.take());
        assertNull(c.poll());
    }

    @Test
    void the1025thPendingTakeIsRefusedWithCoreAsyncsMessage() {
        Chan<Integer> c = chan();
        for (int i = 0; i < 1024; i++) c.takeAsync(v -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.takeAsync(v -> {}));
        assertEquals("No more than 1024 pending takes are allowed on a single channel. This channel (unbuffered)"
                + " already has 1024 takers waiting for a value: take from fewer processes at once (one taker can"
                + " hand values on), or raise the limit with Csp.chanBuilder().maxPending(n) (or -Dcsp4j.maxPending=n"
                + " for every channel).", e.getMessage());
        assertEquals(1024, ((ManyToManyChannel<?>) c).pendingTakes());
    }

    @Test
    void theLimitIsConfigurablePerChannel() {
        Chan<Integer> c = Csp.<Integer>chanBuilder().maxPending(3).build();
        for (int i = 0; i < 3; i++) c.putAsync(i);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.putAsync(3));
        assertTrue(e.getMessage().startsWith("No more than 3 pending puts are allowed on a single channel. "),
                e.getMessage());
        Chan<Integer> orders = Csp.<Integer>chanBuilder().buffer(2).maxPending(1).named("orders").build();
        orders.putAsync(1);
        orders.putAsync(2);
        orders.putAsync(3); // the buffer is full: this one waits
        IllegalStateException named = assertThrows(IllegalStateException.class, () -> orders.putAsync(4));
        assertTrue(named.getMessage().startsWith("No more than 1 pending puts are allowed on a single channel."
                + " Channel 'orders' (Fixed(2/2)) already has 1 putters waiting"), named.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Csp.<Integer>chanBuilder().maxPending(0));
    }

    @Test
    void theLimitIsConfigurableBySystemProperty() {
        System.setProperty("csp4j.maxPending", "5");
        try {
            Chan<Integer> c = chan();
            for (int i = 0; i < 5; i++) c.takeAsync();
            IllegalStateException e = assertThrows(IllegalStateException.class, c::takeAsync);
            assertTrue(e.getMessage().startsWith("No more than 5 pending takes are allowed on a single channel. "),
                    e.getMessage());
            System.setProperty("csp4j.maxPending", "zero");
            IllegalStateException bad = assertThrows(IllegalStateException.class, Csp::chan);
            assertTrue(bad.getMessage().contains("must be a whole number >= 1"), bad.getMessage());
        } finally {
            System.clearProperty("csp4j.maxPending");
        }
    }

    @Test
    void offerAndPollNeverCountAgainstTheLimit() {
        Chan<Integer> c = chan();
        for (int i = 0; i < 5_000; i++) {
            assertFalse(c.offer(i));
            assertNull(c.poll());
        }
        assertEquals(0, ((ManyToManyChannel<?>) c).pendingPuts());
        assertEquals(0, ((ManyToManyChannel<?>) c).pendingTakes());
    }

    @Test
    void completedOperationsFreeTheirPlace() {
        Chan<Integer> c = chan();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 1024; i++) c.putAsync(i);
            for (int i = 0; i < 1024; i++) assertEquals(i, c.take());
        }
        CompletionStage<Boolean> last = c.putAsync(7);
        assertEquals(7, c.take());
        assertTrue(last.toCompletableFuture().join());
    }
}
