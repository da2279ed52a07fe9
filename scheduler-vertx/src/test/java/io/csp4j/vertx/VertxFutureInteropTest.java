package io.csp4j.vertx;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.vertx.VertxFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Vert.x {@code Future} to and from channels, {@code await} and {@code goFuture}, in both modes. */
@SuppressWarnings("unchecked")
class VertxFutureInteropTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFutureBecomesAPromiseChannelThatEveryTakerReads(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Promise<String> p = Promise.promise();
            Chan<String> ch = VertxCsp.toChan(p.future());
            List<Chan<String>> takers = new ArrayList<>();
            for (int i = 0; i < 10; i++) takers.add(go(() -> ch.take() + "!"));
            fx.vertx.setTimer(5, id -> p.complete("v"));
            for (Chan<String> t : takers) assertEquals("v!", t.take());
            assertEquals("v", ch.take());            // again and again: it is a promise channel
            assertEquals("v", ch.take());
            // Already complete when converted.
            assertEquals(7, VertxCsp.toChan(Future.succeededFuture(7)).take());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFailedOrNullFutureClosesTheChannelEmptyAndTheFailureIsReported(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var reported = new java.util.concurrent.LinkedBlockingQueue<Throwable>();
            Csp.setUncaughtExceptionHandler(reported::add);
            try {
                IOException boom = new IOException("boom");
                assertNull(go(() -> VertxCsp.toChan(Future.<String>failedFuture(boom)).take()).take());
                assertSame(boom, reported.poll(10, TimeUnit.SECONDS), "toChan(future) reports the cause");
                assertNull(VertxCsp.toChan(Future.<String>succeededFuture(null)).take());

                // With a handler: it runs before the channel closes, and nothing goes to the engine.
                Promise<String> p = Promise.promise();
                var seen = new CopyOnWriteArrayList<Throwable>();
                Chan<String>[] holder = new Chan[1];
                var closedWhenHandled = new CopyOnWriteArrayList<Boolean>();
                holder[0] = VertxCsp.toChan(p.future(), e -> { seen.add(e); closedWhenHandled.add(holder[0].isClosed()); });
                Chan<String> taker = go(() -> holder[0].take());
                p.fail(boom);
                assertNull(taker.take());
                assertEquals(List.of(boom), seen);
                assertEquals(List.of(false), closedWhenHandled);
                // A handler that throws: reported, and the channel closes anyway.
                IllegalStateException fromHandler = new IllegalStateException("handler");
                assertNull(VertxCsp.toChan(Future.<String>failedFuture("x"), e -> { throw fromHandler; }).take());
                assertSame(fromHandler, reported.poll(10, TimeUnit.SECONDS));
                // Turning a failure into a value is Vert.x's recover.
                assertEquals("fallback", VertxCsp.toChan(Future.<String>failedFuture(boom)
                        .recover(e -> Future.succeededFuture("fallback"))).take());
                assertNull(reported.poll(50, TimeUnit.MILLISECONDS), "nothing else was reported");
            } finally {
                Csp.setUncaughtExceptionHandler(null);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aChannelBecomesAFutureOfItsNextValue(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> ch = chan(4);
            Future<Integer> first = VertxCsp.toFuture(ch);
            Future<Integer> second = VertxCsp.toFuture(ch);
            go(() -> { ch.put(1); ch.put(2); ch.put(3); });
            assertEquals(1, get(first));
            assertEquals(2, get(second));
            assertEquals(3, ch.take());              // exactly one value each: nothing lost, nothing extra
            ch.close();
            assertNull(get(VertxCsp.toFuture(ch)), "closed and drained: succeeds with null");
            // Callbacks on the caller's context.
            Chan<String> answer = go(() -> "42");
            AtomicReference<Context> callbackContext = new AtomicReference<>();
            var v = fx.inVerticle(() -> VertxCsp.toFuture(answer)
                    .onComplete(r -> callbackContext.set(Vertx.currentContext())));
            assertEquals("42", get(v.result()));
            assertSame(v.context(), callbackContext.get());
        }
    }

    @Test
    void aRefusedTakeFailsTheFuture() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.LOOP)) {
            Chan<Integer> ch = chan();
            for (int i = 0; i < 1024; i++) ch.takeAsync(x -> {});
            Future<Integer> f = VertxCsp.toFuture(ch);
            assertTrue(f.failed());
            assertInstanceOf(IllegalStateException.class, f.cause());
            assertTrue(f.cause().getMessage().contains("1024"), f.cause().getMessage());
            ch.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void awaitParksAGoBlockUntilTheFutureCompletes(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var v = fx.inVerticle(() -> go(() -> {
                Promise<Integer> p = Promise.promise();
                fx.vertx.setTimer(5, id -> p.complete(41)); // (no current context in virtual mode)
                return VertxCsp.await(p.future()) + 1;
            }));
            assertEquals(42, v.result().take());

            IllegalArgumentException unchecked = new IllegalArgumentException("bad");
            Chan<Throwable> thrown = go(() -> {
                try {
                    VertxCsp.await(Future.failedFuture(unchecked));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertSame(unchecked, thrown.take(), "an unchecked failure is thrown as it is");
            IOException checked = new IOException("io");
            Chan<Throwable> wrapped = go(() -> {
                try {
                    VertxCsp.await(Future.failedFuture(checked));
                    return null;
                } catch (CompletionException e) {
                    return e.getCause();
                }
            });
            assertSame(checked, wrapped.take(), "a checked failure comes wrapped in CompletionException");
            assertEquals("plain", VertxCsp.await(Future.succeededFuture("plain")), "blocks an ordinary thread");
        }
    }

    @Test
    void awaitOnAnEventLoopOutsideAGoBlockIsRefused() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.LOOP)) {
            var v = fx.inVerticle(() -> assertThrows(IllegalStateException.class,
                    () -> VertxCsp.await(Promise.<String>promise().future())));
            assertTrue(v.result().getMessage().contains("go("), v.result().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void goFutureReturnsAVertxFutureOfTheBodysResultOrFailure(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            Chan<Integer> in = chan();
            AtomicReference<Context> callbackContext = new AtomicReference<>();
            var v = fx.inVerticle(() -> {
                Future<Integer> f = VertxCsp.goFuture(() -> in.take() * 2);
                f.onComplete(r -> callbackContext.set(Vertx.currentContext()));
                return f;
            });
            in.put(21);
            assertEquals(42, get(v.result()));
            assertSame(v.context(), callbackContext.get(), "callbacks on the verticle's context");

            IllegalStateException boom = new IllegalStateException("boom");
            Future<Integer> failed = VertxCsp.goFuture(() -> { throw boom; });
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(failed));
            assertSame(boom, e.getCause());

            Chan<String> side = chan(1);
            Future<Void> done = VertxCsp.goFuture(() -> { side.put("ran"); });
            assertNull(get(done));
            assertEquals("ran", side.take());
            assertNull(get(VertxCsp.goFuture(() -> (String) null)));
        }
    }

    @Test
    void nullArgumentsAreRefused() throws Exception {
        try (VertxFixture fx = new VertxFixture(ProcessMode.LOOP)) {
            assertThrows(NullPointerException.class, () -> VertxCsp.toChan((Future<String>) null));
            assertThrows(NullPointerException.class, () -> VertxCsp.toChan(Future.succeededFuture(1), null));
            assertThrows(NullPointerException.class, () -> VertxCsp.toFuture(null));
            assertThrows(NullPointerException.class, () -> VertxCsp.await(null));
            assertThrows(NullPointerException.class, () -> VertxCsp.goFuture((io.csp4j.Csp.Body<String>) null));
        }
    }
}
