package io.csp4j.vertx;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.sleep;
import static io.csp4j.Csp.timeout;
import static io.csp4j.vertx.VertxDispatcherTest.SCALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.spi.Dispatchers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Go blocks on the Vert.x backend: where they run (the verticle's context and event loop in loop
 * mode; a virtual thread in virtual mode), zero-delay timeouts, and the provider lookup with only
 * this jar beside the engine.
 */
class VertxGoBlockTest {

    /** What a go block saw at one point of its body. */
    record Seen(Context context, Thread thread) {
        static Seen now() {
            return new Seen(Vertx.currentContext(), Thread.currentThread());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aGoBlockStartedFromAVerticleRunsWhereTheModeSays(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            Chan<String> feed = chan();
            var v = fx.inVerticle(() -> go(() -> {
                seen.add(Seen.now());                 // first step
                sleep(Duration.ofMillis(2));
                seen.add(Seen.now());                 // after a timer
                String s = feed.take();
                seen.add(Seen.now());                 // after a put from a plain thread
                return s;
            }));
            assertTrue(feed.put("x"));
            assertEquals("x", v.result().take());
            assertEquals(3, seen.size());
            assertTrue(v.thread().getName().startsWith("vert.x-eventloop-thread-"), v.thread().getName());
            for (Seen s : seen) {
                if (mode == ProcessMode.LOOP) {
                    // The verticle's own context, on its own event loop, at every step.
                    assertSame(v.context(), s.context(), "Vertx.currentContext() in the go block");
                    assertSame(v.thread(), s.thread(), "the verticle's event-loop thread");
                } else {
                    // A virtual thread of the JDK's scheduler: no Vert.x context is current there.
                    assertTrue(s.thread().isVirtual(), s.thread().toString());
                    assertNull(s.context(), "Vertx.currentContext() on a csp4j virtual thread");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void manyGoBlocksFromOneVerticleNeverLeaveItsEventLoop(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            int n = 1_000 * SCALE;
            List<Thread> threads = new CopyOnWriteArrayList<>();
            var v = fx.inVerticle(() -> {
                Chan<Integer> ring = chan();
                List<Chan<Void>> done = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    done.add(go(() -> { threads.add(Thread.currentThread()); ring.put(1); }));
                }
                return go(() -> {
                    int sum = 0;
                    for (int i = 0; i < n; i++) sum += ring.take();
                    for (Chan<Void> d : done) assertNull(d.take());
                    return sum;
                });
            });
            assertEquals(n, v.result().take());
            assertEquals(n, threads.size());
            for (Thread t : threads) {
                if (mode == ProcessMode.LOOP) assertSame(v.thread(), t);
                else assertTrue(t.isVirtual());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aZeroDelayTimeoutFires(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            int n = 2_000 * SCALE;
            // From a plain thread, from a verticle, and inside go blocks: every one closes.
            for (int i = 0; i < 50; i++) {
                assertNull(timeout(0).take());
                assertNull(timeout(Duration.ZERO).take());
                assertNull(timeout(Duration.ofMillis(-5)).take());
            }
            var v = fx.inVerticle(() -> go(() -> {
                int fired = 0;
                Chan<Object> never = chan();
                for (int i = 0; i < n; i++) {
                    Chan<Object> t = timeout(0);
                    AltResult r = alts(never, t);
                    if (r.from(t) && r.value() == null) fired++;
                }
                return fired;
            }));
            assertEquals(n, v.result().take());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void timeoutsAreNotEarlyOnThisBackend(ProcessMode mode) throws Exception {
        try (VertxFixture fx = new VertxFixture(mode)) {
            var v = fx.inVerticle(() -> go(() -> {
                List<Long> took = new ArrayList<>();
                for (int ms : new int[] {1, 5, 20}) {
                    long t0 = System.nanoTime();
                    timeout(ms).take();
                    took.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) - ms);
                }
                return took;
            }));
            for (long early : v.result().take()) assertTrue(early >= 0, "fired " + -early + " ms early");
        }
    }

    @Test
    void onlyThisJarBesideTheEngineMakesVertxTheDispatcherInUse() throws Exception {
        // The test class path holds the SPI, the engine and this backend: no ForkJoin jar
        // (mvn dependency:tree -pl scheduler-vertx shows it).
        assertFalse(Dispatchers.providers().stream().anyMatch(p -> p.name().equals("forkjoin")));
        String before = System.clearProperty(Dispatchers.PROPERTY);
        Csp.useDispatcher(null);
        try {
            assertInstanceOf(VertxDispatcherProvider.class, Dispatchers.findProvider());
            VertxDispatcher d = assertInstanceOf(VertxDispatcher.class, Csp.dispatcher());
            assertTrue(d.ownsVertx(), "the looked-up dispatcher has a Vertx of its own");
            Csp.useProcessMode(ProcessMode.LOOP);
            Thread t = go(() -> Thread.currentThread()).take();
            assertTrue(t.getName().startsWith("vert.x-eventloop-thread-"), t.getName());
            assertEquals("from vertx", go(() -> "from vertx").take());
        } finally {
            Csp.useDispatcher(null); // closes the looked-up dispatcher and its Vertx
            if (before != null) System.setProperty(Dispatchers.PROPERTY, before);
        }
    }
}
