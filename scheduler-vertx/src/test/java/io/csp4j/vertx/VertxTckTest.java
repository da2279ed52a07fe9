package io.csp4j.vertx;

import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import io.csp4j.tck.SharedResources;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The whole TCK ({@code tck/SPEC.md}) against the Vert.x backend over a {@code Vertx} of its own,
 * and clauses 1.11a and 1.11b against {@link VertxDispatcher#over} an application's {@code Vertx}
 * (two event loops).
 *
 * <p>A lane is a Vert.x event-loop context: one thread, one queue, so the backend declares thread
 * affinity and FIFO lanes.
 */
class VertxTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return VertxDispatcher.create();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES);
    }

    @Override
    protected SharedResources createSharedResources() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setUseDaemonThread(true));
        // The application's policy for failures: the TCK's deliberate ones are dropped, not logged.
        vertx.exceptionHandler(ignored -> {});
        return new SharedResources() {
            @Override
            public Dispatcher createDispatcher() {
                return VertxDispatcher.over(vertx);
            }

            @Override
            public void execute(Runnable task) {
                vertx.runOnContext(ignored -> task.run());
            }

            @Override
            public void close() {
                try {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("closing the application's Vertx", e);
                }
            }
        };
    }
}
