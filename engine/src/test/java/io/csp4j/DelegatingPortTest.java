package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** alts over a DelegatingPort: it registers on the delegate and reports the port itself. */
class DelegatingPortTest extends EngineTestSupport {

    /** A port outside the engine that forwards to a local channel (like a remote port does). */
    record Forwarding(Chan<Integer> inner) implements Chan<Integer>, DelegatingPort {
        @Override public Channel<?, ?> delegate() { return inner; }
        @Override public Integer take() { return inner.take(); }
        @Override public Integer poll() { return inner.poll(); }
        @Override public CompletionStage<Integer> takeAsync() { return inner.takeAsync(); }
        @Override public void takeAsync(Consumer<? super Integer> cb) { inner.takeAsync(cb); }
        @Override public boolean put(Integer v) { return inner.put(v); }
        @Override public boolean offer(Integer v) { return inner.offer(v); }
        @Override public CompletionStage<Boolean> putAsync(Integer v) { return inner.putAsync(v); }
        @Override public void putAsync(Integer v, Consumer<? super Boolean> cb) { inner.putAsync(v, cb); }
        @Override public void close() { inner.close(); }
        @Override public boolean isClosed() { return inner.isClosed(); }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void altsTakesAndPutsThroughTheDelegateAndNamesThePort(ProcessMode mode) {
        mode(mode);
        for (int round = 0; round < 100; round++) {
            Forwarding port = new Forwarding(chan());
            Chan<Integer> local = chan();
            Chan<AltResult> r = go(() -> alts(port, local));
            int v = round;
            go(() -> port.inner().put(v));
            AltResult res = within(5, r::take);
            assertSame(port, res.channel(), "the result names the port, not its delegate");
            assertEquals(v, res.value());
            // The loser's handler was removed from the local channel: an offer finds no taker.
            assertFalse(local.offer(1));

            Forwarding out = new Forwarding(chan(1));
            AltResult p = alts(putOp(out, v), takeOp(chan()));
            assertSame(out, p.channel());
            assertEquals(Boolean.TRUE, p.value());
            assertEquals(v, out.inner().poll());
        }
    }
}
