package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Dispatcher;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Csp.shutdown(): the threads of a looked-up dispatcher end; a bound one is left alone. */
class ShutdownTest extends EngineTestSupport {

    @Test
    void shutdownEndsTheLookedUpDispatchersThreadsAndALaterGoLooksUpANewOne() throws Exception {
        Dispatcher bound = Csp.useDispatcher(null); // from here on the engine looks one up itself
        try {
            for (ProcessMode mode : ProcessMode.values()) {
                mode(mode);
                Set<Thread> before = forkJoinThreads();
                assertEquals(42, within(5, go(() -> 6 * 7)::take));
                assertEquals(42, within(5, go(() -> { sleep(1); return 42; })::take)); // the timer thread too
                Dispatcher looked = Csp.dispatcher();
                Set<Thread> started = forkJoinThreads();
                started.removeAll(before);
                assertFalse(started.isEmpty(), "the looked-up dispatcher started threads");
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

    private static Set<Thread> forkJoinThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("csp4j-forkjoin"))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
