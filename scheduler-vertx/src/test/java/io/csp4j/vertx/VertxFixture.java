package io.csp4j.vertx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Vert.x for the interop tests: a {@code Vertx} of the application, a
 * {@link VertxDispatcher#over(Vertx)} bound as the engine's dispatcher, the process mode under test,
 * and a way to run code inside a freshly deployed verticle. Closed after each test.
 */
final class VertxFixture implements AutoCloseable {

    final Vertx vertx;
    final VertxDispatcher dispatcher;

    VertxFixture(ProcessMode mode) {
        vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true).setEventLoopPoolSize(2));
        dispatcher = VertxDispatcher.over(vertx);
        Csp.useDispatcher(dispatcher);
        Csp.useProcessMode(mode);
    }

    /** What {@link #inVerticle} returns: the body's result, the verticle's context and its thread. */
    record InVerticle<T>(T result, Context context, Thread thread) {}

    /** Deploys a verticle whose {@code start()} runs {@code body} on its event loop. */
    <T> InVerticle<T> inVerticle(Callable<T> body) throws Exception {
        AtomicReference<InVerticle<T>> out = new AtomicReference<>();
        get(vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() throws Exception {
                out.set(new InVerticle<>(body.call(), Vertx.currentContext(), Thread.currentThread()));
            }
        }));
        return out.get();
    }

    static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(20, TimeUnit.SECONDS), "timed out with " + l.getCount() + " to go");
    }

    @Override
    public void close() throws Exception {
        Csp.useDispatcher(null);
        dispatcher.close();
        get(vertx.close());
    }
}
