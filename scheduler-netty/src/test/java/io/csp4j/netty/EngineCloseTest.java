package io.csp4j.netty;

import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.Dispatchers;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing through the engine ends only what the backend created: the Netty dispatcher the engine
 * looked up itself (with its own group) is closed, threads and all, when the application binds
 * another; a dispatcher over the application's group, once closed, stops csp4j's timers there and
 * refuses new work, while the group itself keeps running.
 */
class EngineCloseTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theDispatcherTheEngineLookedUpIsClosedWhenTheApplicationBindsItsOwn(ProcessMode mode) throws Exception {
        ProcessMode before = Csp.processMode();
        String property = System.clearProperty(Dispatchers.PROPERTY);
        Dispatcher previous = Csp.useDispatcher(null);
        try {
            Csp.useProcessMode(mode);
            // Only this backend is on the test class path: the lookup picks Netty, over its own group.
            NettyDispatcher looked = assertInstanceOf(NettyDispatcher.class, Csp.dispatcher());
            assertTrue(looked.ownsGroup());
            String where = goFuture(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            if (mode == ProcessMode.LOOP) {
                assertTrue(where.matches("csp4j-netty-\\d+"), where);
            }
            assertEquals(null, timeout(5).take());

            try (BoundLoops app = new BoundLoops(2, mode)) {
                // Binding the application's dispatcher closed the looked-up one and ended its group.
                assertTrue(looked.isClosed());
                assertTrue(looked.group().isTerminated());
                assertEquals("done", go(() -> "done").take());
            }
        } finally {
            Csp.useDispatcher(previous);
            Csp.useProcessMode(before);
            if (property != null) System.setProperty(Dispatchers.PROPERTY, property);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void closingTheDispatcherOverTheApplicationsGroupLeavesTheGroupRunning(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(2, mode)) {
            Chan<Object> pending = timeout(150);
            assertEquals(1, b.dispatcher.pendingTimerCount());
            b.dispatcher.close();
            assertEquals(0, b.dispatcher.pendingTimerCount(), "close cancels csp4j's timers on the group");
            assertFalse(b.group.isShuttingDown(), "the application's group keeps running");
            for (EventExecutor e : b.group) {
                assertEquals("still running", e.submit(() -> "still running").get(5, TimeUnit.SECONDS));
            }
            assertThrows(RejectedExecutionException.class, () -> timeout(10));
            if (mode == ProcessMode.LOOP) {
                assertThrows(RejectedExecutionException.class, () -> go(() -> 1));
            }
            Thread.sleep(300);
            assertFalse(pending.isClosed(), "a timeout pending at close never fires");
        }
    }
}
