package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Csp.shutdown(): the threads of a looked-up dispatcher end; a bound one is left alone. */
class ShutdownTest extends EngineTestSupport {

    @Test
    void shutdownEndsTheLookedUpDispatchersThreadsAndALaterGoLooksUpANewOne() throws Exception {
        Dispatcher bound = Csp.useDispatcher(null); // from here on the engine looks one up itself
        try {
            for (ProcessMode mode : ProcessMode.values()) {
                mode(mode);
                Dispatcher looked = Csp.dispatcher();
                // The threads of the looked-up dispatcher: a lane (running a task) and the timer.
                Set<Thread> started = ConcurrentHashMap.newKeySet();
                CountDownLatch ran = new CountDownLatch(2);
                looked.execute(() -> { started.add(Thread.currentThread()); ran.countDown(); });
                looked.schedule(Duration.ofMillis(1), () -> { started.add(Thread.currentThread()); ran.countDown(); });
                assertTrue(ran.await(10, TimeUnit.SECONDS));
                assertEquals(42, within(5, go(() -> 6 * 7)::take));
                assertTrue(started.stream().allMatch(t -> t.getName().startsWith("csp4j-forkjoin-")), started.toString());
                assertTrue(Csp.shutdown(), "the looked-up dispatcher is closed");
                assertTrue(((ForkJoinDispatcher) looked).isClosed());
                eventually(10, () -> started.stream().noneMatch(Thread::isAlive));
                assertFalse(Csp.shutdown(), "idempotent: nothing left to close");
                assertEquals(43, within(5, go(() -> 43)::take), "a later go looks up a new dispatcher");
                assertNotSame(looked, Csp.dispatcher());
                assertTrue(Csp.shutdown());
            }
        } finally {
            Csp.useDispatcher(bound);
        }
    }

    @Test
    void aDispatcherBoundByTheApplicationIsLeftToIt() {
        ForkJoinDispatcher mine = new ForkJoinDispatcher(2);
        Dispatcher before = Csp.useDispatcher(mine);
        try {
            assertFalse(Csp.shutdown());
            assertFalse(mine.isClosed());
            assertSame(mine, Csp.dispatcher());
        } finally {
            Csp.useDispatcher(before);
            mine.close();
        }
    }
}
