package io.csp4j.vertx;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.vertx.VertxFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Channel to {@code WriteStream}: writeQueueFull/drain, order, end, failed writes; both modes. */
class ChanToWriteStreamTest {

    static final int ITEMS = 20_000;
    static final int MAX_QUEUE = 64;

    /** What a test deploys: the stream and the pipe's future. */
    record Piped(RecordingWriteStream stream, Future<Void> done) {}

    /** The written values, read on the stream's context. */
    static List<Integer> written(VertxFixture fx, VertxFixture.InVerticle<Piped> v) throws Exception {
        return get(Future.<List<Integer>>future(p -> v.context().runOnContext(x ->
                p.complete(new ArrayList<>(v.result().stream().written)))));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFullWriteQueueStopsTheTakingAndTheDrainResumesIt(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(8);
            var v = fx.inVerticle(() -> {
                var s = new RecordingWriteStream(Vertx.currentContext(), MAX_QUEUE, 16, -1);
                return new Piped(s, VertxCsp.pipe(ch, s, true));
            });
            // The producer parks once the channel is full: it never runs far ahead of the wire.
            Chan<Void> producer = go(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    ch.put(i);
                }
                ch.close();
            });
            assertNull(get(v.result().done()));
            assertNull(producer.take());
            List<Integer> written = written(fx, v);
            assertEquals(ITEMS, written.size(), "nothing lost, nothing duplicated");
            for (int i = 0; i < ITEMS; i++) assertEquals(i, written.get(i));
            RecordingWriteStream s = v.result().stream();
            assertTrue(s.maxQueued.get() <= MAX_QUEUE, "queued " + s.maxQueued.get() + " > " + MAX_QUEUE);
            assertEquals(MAX_QUEUE, s.maxQueued.get(), "the queue did fill up");
            assertTrue(s.drains.get() > 0, "taking went on from the drain handler");
            assertEquals(1, s.ends.get(), "the stream was ended once the channel closed");
            assertEquals(Set.of(), s.offContext, "the stream was only touched on its context");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void withoutEndTheStreamStaysOpen(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(100);
            for (int i = 0; i < 100; i++) ch.put(i);
            ch.close();
            var v = fx.inVerticle(() -> {
                var s = new RecordingWriteStream(Vertx.currentContext(), 1_000, 1_000, -1);
                return new Piped(s, VertxCsp.pipe(ch, s, false));
            });
            assertNull(get(v.result().done()));
            assertEquals(100, written(fx, v).size());
            assertEquals(0, v.result().stream().ends.get());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFailedWriteFailsThePipeAndStopsTheTaking(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(1_000);
            for (int i = 0; i < 1_000; i++) ch.put(i);
            var v = fx.inVerticle(() -> {
                var s = new RecordingWriteStream(Vertx.currentContext(), 10_000, 10_000, 300);
                return new Piped(s, VertxCsp.pipe(ch, s, true));
            });
            var e = assertThrows(ExecutionException.class, () -> get(v.result().done()));
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(301, written(fx, v).size(), "values 0..300, the last one failed");
            assertFalse(ch.isClosed(), "the channel is left to its owner");
            assertEquals(301, ch.take(), "nothing more was taken");
            assertEquals(0, v.result().stream().ends.get());
        }
    }

    @Test
    void withADispatcherThatIsNotVertxTheStreamIsStillOnlyTouchedOnItsContext() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.VIRTUAL); PlainDispatcher plain = new PlainDispatcher()) {
            Csp.useDispatcher(plain); // takeAsync callbacks now arrive on "plain-dispatcher"
            Chan<Integer> ch = chan(8);
            var v = fx.inVerticle(() -> {
                var s = new RecordingWriteStream(Vertx.currentContext(), MAX_QUEUE, 16, -1);
                return new Piped(s, VertxCsp.pipe(ch, s, true));
            });
            go(() -> { for (int i = 0; i < 5_000; i++) ch.put(i); ch.close(); });
            assertNull(get(v.result().done()));
            List<Integer> written = written(fx, v);
            assertEquals(5_000, written.size());
            for (int i = 0; i < 5_000; i++) assertEquals(i, written.get(i));
            assertTrue(v.result().stream().maxQueued.get() <= MAX_QUEUE);
            assertEquals(Set.of(), v.result().stream().offContext);
        }
    }
}
