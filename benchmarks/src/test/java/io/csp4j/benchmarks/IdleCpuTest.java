package io.csp4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Dispatcher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps {@link IdleCpu}'s bookkeeping honest without its minute of measuring: the dispatcher's
 * threads are recognised by the names each backend really gives them (a thread that ran one of its
 * tasks), and a result's shares and JSON line are what the report reads.
 */
class IdleCpuTest {

    @ParameterizedTest
    @ValueSource(strings = {"forkjoin", "forkjoin-1", "vertx", "netty"})
    void theThreadsThatRunABackendsTasksCountAsItsDispatchers(String backend) throws Exception {
        Predicate<String> ofDispatcher = IdleCpu.dispatcherThreads(backend);
        Dispatcher d = Backend.open(backend);
        try {
            CompletableFuture<String> name = new CompletableFuture<>();
            d.lane().execute(() -> name.complete(Thread.currentThread().getName()));
            String n = name.get(10, TimeUnit.SECONDS);
            assertTrue(ofDispatcher.test(n), backend + " ran a task on '" + n + "', not counted as its thread");
            assertFalse(ofDispatcher.test(Thread.currentThread().getName()));
            assertFalse(ofDispatcher.test("csp4j-watchdog"));
            assertFalse(ofDispatcher.test("C2 CompilerThread0"));
        } finally {
            d.close();
        }
    }

    @Test
    void anUnknownBackendIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdleCpu.dispatcherThreads("go"));
        assertTrue(e.getMessage().contains("'go'") && e.getMessage().contains("netty"), e.getMessage());
    }

    @Test
    void aResultSplitsTheProcessTimeAndWritesEveryFigure() {
        var r = new IdleCpu.Result("netty", "loop", 1_000, 2.5, true, 5.0, 40.0, 10.0, 2, 12.0, 3, 1,
                List.of(new IdleCpu.ThreadCpu("csp4j-watchdog", 5.0)),
                List.of(new IdleCpu.ThreadCpu("C2 \"Compiler\"", 9.0)));
        assertEquals(0.8, r.percentOfCore(), 1e-9);
        assertEquals(0.2, r.dispatcherPercentOfCore(), 1e-9);
        assertEquals(18.0, r.jvmInternalMillis(), 1e-9);
        assertEquals("{\"backend\":\"netty\",\"mode\":\"loop\",\"parked\":1000,\"settleSeconds\":2.5,\"settled\":true,"
                + "\"seconds\":5.000,\"cpuMs\":40.0,\"percentOfCore\":0.800,\"dispatcherMs\":10.0,"
                + "\"dispatcherPercentOfCore\":0.200,\"dispatcherThreads\":2,\"otherJavaMs\":12.0,"
                + "\"jvmInternalMs\":18.0,\"jitMs\":3,\"collections\":1,"
                + "\"busiest\":[{\"name\":\"csp4j-watchdog\",\"cpuMs\":5.0}],"
                + "\"busiestOs\":[{\"name\":\"C2 \\\"Compiler\\\"\",\"cpuMs\":9.0}]}", r.toJson());
        // The process figure (10 ms ticks) below the threads' sum (ns): the JVM's share is 0, not negative.
        var coarse = new IdleCpu.Result("netty", "loop", 1_000, 2.5, true, 5.0, 10.0, 8.0, 2, 4.0, 0, 0,
                List.of(), List.of());
        assertEquals(0.0, coarse.jvmInternalMillis());
    }
}
