package io.csp4j;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.internal.GoProcess;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's per-process object: the same in both modes, current inside the body, records its parks. */
class ProcessHandleTest extends EngineTestSupport {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyGoBlockHasOneProcessObjectForItsWholeLife(ProcessMode m) {
        mode(m);
        assertNull(GoProcess.current(), "an ordinary thread is no process");
        int n = 200;
        Chan<GoProcess> seen = chan(n);
        Chan<Integer> tick = chan();
        for (int i = 0; i < n; i++) {
            go(() -> {
                GoProcess before = GoProcess.current();
                tick.take(); // park; a loop process may resume elsewhere on its lane, a virtual one on another carrier
                seen.put(GoProcess.current() == before ? before : null);
            });
        }
        within(10, () -> {
            for (int i = 0; i < n; i++) {
                tick.put(i);
            }
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                GoProcess p = seen.take();
                assertNotNull(p, "the current process changed across a park");
                assertTrue(p.id() > 0);
                assertEquals(p.id(), p.id(), "an id is stable");
                assertTrue(ids.add(p.id()), "ids are unique");
                assertNull(p.name());
                assertNull(p.scope());
                assertFalse(p.isCancelled());
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aParkedProcessShowsWhatItWaitsOn(ProcessMode m) throws Exception {
        mode(m);
        Chan<String> orders = Csp.<String>chanBuilder().named("orders").build();
        Chan<Integer> a = chan();
        Chan<Integer> b = chan();
        AtomicReference<GoProcess> taker = new AtomicReference<>();
        AtomicReference<GoProcess> alter = new AtomicReference<>();
        go(() -> {
            taker.set(GoProcess.current());
            return orders.take();
        });
        go(() -> {
            alter.set(GoProcess.current());
            return Csp.alts(a, b);
        });
        eventually(10, () -> taker.get() != null && taker.get().parkedNow() != null
                && alter.get() != null && alter.get().parkedNow() != null);
        long now = System.nanoTime();
        GoProcess.Park t = taker.get().parkedNow();
        assertEquals("take()", t.operation());
        assertSame(orders, t.on());
        assertTrue(t.sinceNanos() <= now);
        GoProcess.Park x = alter.get().parkedNow();
        assertEquals("alts()", x.operation());
        assertEquals(2, ((List<?>) x.on()).size());
        within(10, () -> {
            orders.put("tea");
            a.put(1);
            return null;
        });
        eventually(10, () -> taker.get().parkedNow() == null && alter.get().parkedNow() == null);
    }
}
