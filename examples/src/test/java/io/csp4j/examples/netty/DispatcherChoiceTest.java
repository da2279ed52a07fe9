package io.csp4j.examples.netty;

import static io.csp4j.Csp.goFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.netty.NettyDispatcher;
import io.csp4j.netty.NettyDispatcherProvider;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;
import io.csp4j.spi.Dispatchers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With several backends on one class path (the examples have ForkJoin and Netty, and Vert.x when
 * present), {@code -Dcsp4j.dispatcher} chooses, and without it the highest priority wins: Netty over
 * ForkJoin when Vert.x is absent. The engine's own lookup follows the property, and a go block then
 * runs on the chosen backend's threads.
 */
class DispatcherChoiceTest {

    @Test
    void withoutThePropertyTheHighestPriorityWinsNettyWhenVertxIsAbsent() {
        String saved = System.clearProperty(Dispatchers.PROPERTY);
        try {
            List<String> names = Dispatchers.providers().stream().map(DispatcherProvider::name).toList();
            assertTrue(names.containsAll(List.of("netty", "forkjoin")), names.toString());
            String expected = names.contains("vertx") ? "vertx" : "netty";
            assertEquals(expected, Dispatchers.findProvider().name());
        } finally {
            if (saved != null) System.setProperty(Dispatchers.PROPERTY, saved);
        }
    }

    @Test
    void thePropertyChoosesAmongThePresentBackendsAndTheEngineFollowsIt() throws Exception {
        String saved = System.getProperty(Dispatchers.PROPERTY);
        Dispatcher bound = Csp.useDispatcher(null);
        ProcessMode mode = Csp.processMode();
        try {
            for (DispatcherProvider p : Dispatchers.providers()) {
                System.setProperty(Dispatchers.PROPERTY, p.name());
                assertEquals(p.getClass(), Dispatchers.findProvider().getClass());
            }
            System.setProperty(Dispatchers.PROPERTY, "netty");
            Csp.useDispatcher(null); // the next use looks the dispatcher up again, reading the property
            Csp.useProcessMode(ProcessMode.LOOP);
            NettyDispatcher d = assertInstanceOf(NettyDispatcher.class, Csp.dispatcher());
            assertInstanceOf(NettyDispatcherProvider.class, Dispatchers.findProvider());
            String thread = goFuture(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertTrue(thread.matches("csp4j-netty-\\d+"), thread);
            Csp.useDispatcher(null); // closes the dispatcher the engine looked up itself
            assertTrue(d.isClosed());
        } finally {
            if (saved != null) System.setProperty(Dispatchers.PROPERTY, saved);
            else System.clearProperty(Dispatchers.PROPERTY);
            Csp.useProcessMode(mode);
            Csp.useDispatcher(bound);
        }
    }
}
