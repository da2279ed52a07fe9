package io.csp4j.vertx;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.sleep;
import static io.csp4j.vertx.VertxFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code ReadStream} to channel: back-pressure, order, end, failure, early close; both modes. */
class ReadStreamToChanTest {

    static final int ITEMS = 100_000;
    static final int CAPACITY = 16;
    static final int HIGH_WATER_MARK = 32;

    /** A consumer slower than the stream: it parks for 1 ms every 2,000 items. Checks order. */
    static Chan<Long> slowConsumer(Chan<Integer> ch, CountingReadStream stream) {
        return go(() -> {
            long count = 0;
            for (Integer v; (v = ch.take()) != null; ) {
                stream.consumed();
                if (v != count) throw new AssertionError("expected " + count + ", took " + v);
                count++;
                if (count % 2_000 == 0) sleep(Duration.ofMillis(1));
            }
            return count;
        });
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aStreamOfAHundredThousandItemsNeverRunsAheadOfTheChannel(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var v = fx.inVerticle(() -> {
                var s = new CountingReadStream(io.vertx.core.Vertx.currentContext(), ITEMS, HIGH_WATER_MARK, true, -1);
                return new Object[] {s, VertxCsp.toChan(s, CAPACITY)};
            });
            CountingReadStream stream = (CountingReadStream) v.result()[0];
            @SuppressWarnings("unchecked") Chan<Integer> ch = (Chan<Integer>) v.result()[1];
            assertEquals(ITEMS, slowConsumer(ch, stream).take(), "every item, once, in order");
            assertTrue(ch.isClosed(), "the end of the stream closed the channel");
            assertEquals(ITEMS, stream.emitted.get());
            // In flight = the channel's buffer + the one pending put + the item in the consumer's hands
            // (it counts after take() returns). A stream honouring pause adds nothing.
            long max = stream.maxInFlight.get();
            assertTrue(max <= CAPACITY + 2, "max in flight " + max + " > capacity " + CAPACITY + " + 2");
            assertTrue(max >= CAPACITY, "the buffer was used: max in flight " + max);
            assertTrue(stream.pauses.get() > 0, "back-pressure paused the stream");
            assertEquals(Set.of(), stream.offContext, "the stream was only touched on its context");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aStreamThatDeliversAfterPauseIsQueuedInOrderWithinItsHighWaterMark(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var v = fx.inVerticle(() -> {
                var s = new CountingReadStream(io.vertx.core.Vertx.currentContext(), ITEMS, HIGH_WATER_MARK, false, -1);
                return new Object[] {s, VertxCsp.toChan(s, CAPACITY)};
            });
            CountingReadStream stream = (CountingReadStream) v.result()[0];
            @SuppressWarnings("unchecked") Chan<Integer> ch = (Chan<Integer>) v.result()[1];
            assertEquals(ITEMS, slowConsumer(ch, stream).take());
            long max = stream.maxInFlight.get();
            assertTrue(max <= CAPACITY + HIGH_WATER_MARK + 1,
                    "max in flight " + max + " > capacity + the stream's high-water mark + 1");
            assertTrue(max > CAPACITY + 2, "the sloppy stream did deliver after pause: " + max);
            assertEquals(Set.of(), stream.offContext);
        }
    }

    @Test
    void withADispatcherThatIsNotVertxTheStreamIsStillOnlyTouchedOnItsContext() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.VIRTUAL); PlainDispatcher plain = new PlainDispatcher()) {
            Csp.useDispatcher(plain); // putAsync callbacks now arrive on "plain-dispatcher"
            var v = fx.inVerticle(() -> {
                var s = new CountingReadStream(io.vertx.core.Vertx.currentContext(), ITEMS / 10, HIGH_WATER_MARK, true, -1);
                return new Object[] {s, VertxCsp.toChan(s, CAPACITY)};
            });
            CountingReadStream stream = (CountingReadStream) v.result()[0];
            @SuppressWarnings("unchecked") Chan<Integer> ch = (Chan<Integer>) v.result()[1];
            assertEquals(ITEMS / 10, slowConsumer(ch, stream).take());
            assertTrue(stream.pauses.get() > 0);
            assertTrue(stream.maxInFlight.get() <= CAPACITY + 2, "max in flight " + stream.maxInFlight.get());
            assertEquals(Set.of(), stream.offContext);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFailingStreamDeliversWhatCameBeforeThenReportsAndCloses(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var errors = new CopyOnWriteArrayList<Throwable>();
            var closedWhenReported = new CopyOnWriteArrayList<Boolean>();
            var v = fx.inVerticle(() -> {
                var s = new CountingReadStream(io.vertx.core.Vertx.currentContext(), 1_000, 8, true, 500);
                Chan<Integer>[] holder = new Chan[1];
                holder[0] = VertxCsp.toChan(s, 4, e -> { errors.add(e); closedWhenReported.add(holder[0].isClosed()); });
                return holder[0];
            });
            Chan<Integer> ch = v.result();
            int count = 0;
            for (Integer x; (x = ch.take()) != null; count++) assertEquals(count, x);
            assertEquals(500, count, "the items before the failure, all of them");
            assertEquals(1, errors.size());
            assertInstanceOf(IOException.class, errors.get(0));
            assertEquals(false, closedWhenReported.get(0), "onError runs before the channel closes");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pipeCompletesAtTheEndAndLeavesTheChannelOpenWhenAsked(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(1_000);
            var v = fx.inVerticle(() -> VertxCsp.pipe(
                    new CountingReadStream(io.vertx.core.Vertx.currentContext(), 100, 8, true, -1), ch, false));
            assertNull(get(v.result()));
            assertFalse(ch.isClosed());
            for (int i = 0; i < 100; i++) assertEquals(i, ch.poll());
            assertNull(ch.poll());

            Chan<Integer> failing = chan(1_000);
            var f = fx.inVerticle(() -> VertxCsp.pipe(
                    new CountingReadStream(io.vertx.core.Vertx.currentContext(), 100, 8, true, 10), failing, true));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> get(f.result()));
            assertInstanceOf(IOException.class, e.getCause());
            // The future fails first, then the channel closes (after the 10 items before the failure).
            for (int i = 0; i < 10; i++) assertEquals(i, failing.take());
            assertNull(failing.take());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void closingTheChannelStopsTheStreamAndCompletesThePipe(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(4);
            var v = fx.inVerticle(() -> {
                var s = new CountingReadStream(io.vertx.core.Vertx.currentContext(), ITEMS, 8, true, -1);
                return new Object[] {s, VertxCsp.pipe(s, ch, true)};
            });
            CountingReadStream stream = (CountingReadStream) v.result()[0];
            @SuppressWarnings("unchecked") Future<Void> done = (Future<Void>) v.result()[1];
            for (int i = 0; i < 10; i++) assertEquals(i, ch.take());
            ch.close();
            // A put still pending at the close is delivered to a later taker (closing loses no value):
            // the rest comes out in order, then null; the pipe then completes.
            int next = 10;
            for (Integer x; (x = ch.take()) != null; next++) assertEquals(next, x);
            assertTrue(next <= 10 + 4 + 1, "at most the buffer and one pending put after the close: " + next);
            assertNull(get(done));
            long emitted = stream.emitted.get();
            TimeUnit.MILLISECONDS.sleep(50);
            assertEquals(emitted, stream.emitted.get(), "nothing more is read after the close");
            assertTrue(emitted < ITEMS, "the stream stopped early: " + emitted);
            assertEquals(Set.of(), stream.offContext);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheFix() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.LOOP)) {
            var v = fx.inVerticle(() -> new CountingReadStream(io.vertx.core.Vertx.currentContext(), 1, 1, true, -1));
            var e = assertThrows(IllegalArgumentException.class, () -> VertxCsp.toChan(v.result(), 0));
            assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
            assertThrows(NullPointerException.class, () -> VertxCsp.toChan((CountingReadStream) null, 1));
            assertThrows(NullPointerException.class, () -> VertxCsp.toChan(v.result(), 1, null));
            assertThrows(NullPointerException.class, () -> VertxCsp.pipe(v.result(), null, true));
            assertSame(null, null);
        }
    }
}
