package io.csp4j.internal;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16, finding 4: 2,000 go blocks putting on one unbuffered channel printed 976 stack traces.
 * With no handler set, a burst of identical failures is logged once with its trace, then once with a
 * count ({@link FailureLog}); a handler still sees every failure.
 */
class FailureBurstTest {

    /** One line of the log. */
    record Line(System.Logger.Level level, String message, Throwable thrown) {}

    final List<Line> lines = new CopyOnWriteArrayList<>();
    System.Logger saved;
    Thread.UncaughtExceptionHandler savedGlobal;

    @BeforeEach
    void captureTheLog() {
        saved = FailureLog.log;
        FailureLog.log = new System.Logger() {
            @Override public String getName() { return "io.csp4j"; }
            @Override public boolean isLoggable(Level level) { return true; }
            @Override public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                lines.add(new Line(level, msg, thrown));
            }
            @Override public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                lines.add(new Line(level, format, null));
            }
        };
        Csp.setUncaughtExceptionHandler(null); // the default path: the log
        savedGlobal = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(null);
    }

    @AfterEach
    void restore() {
        FailureLog.log = saved;
        Csp.setUncaughtExceptionHandler(null);
        Thread.setDefaultUncaughtExceptionHandler(savedGlobal);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void twoThousandPutsOnOneChannelLogOneTraceAndOneCount(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        Chan<Integer> orders = Csp.<Integer>chanBuilder().named("orders-" + mode).build();
        for (int i = 0; i < 2_000; i++) {
            int v = i;
            go(() -> { orders.put(v); });
        }
        // 1024 putters park; the other 976 fail identically: one trace at once, the count after 1 s.
        String marker = "'orders-" + mode + "'";
        eventually(() -> mine(marker).size() == 2, 10);
        List<Line> lines = mine(marker);
        Line first = lines.get(0);
        assertEquals(System.Logger.Level.ERROR, first.level());
        assertEquals("Uncaught exception in a csp4j process or callback (identical ones in the next 1000 ms are"
                + " counted, not shown)", first.message());
        assertInstanceOf(IllegalStateException.class, first.thrown());
        assertTrue(first.thrown().getMessage().startsWith("No more than 1024 pending puts are allowed on a single"
                + " channel. Channel 'orders-" + mode + "' (unbuffered) already has 1024 putters waiting"),
                first.thrown().getMessage());
        Line count = lines.get(1);
        assertEquals(System.Logger.Level.ERROR, count.level());
        assertNull(count.thrown());
        assertTrue(count.message().startsWith("The same uncaught exception happened 975 more times within 1000 ms"
                + " (stack traces not shown): java.lang.IllegalStateException: No more than 1024 pending puts"),
                count.message());
        // Nothing lost among the 1024 that parked.
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 1024; i++) got.add(orders.take());
        assertEquals(1024, got.size());
        assertNull(orders.poll());
        // A new burst after the window is logged again, with its trace; a burst of one adds no count.
        String later = "later " + mode;
        go(() -> { throw new IllegalArgumentException(later); });
        eventually(() -> mine(later).size() == 1, 5);
        assertEquals(later, mine(later).get(0).thrown().getMessage());
        Thread.sleep(FailureLog.WINDOW_MILLIS + 200);
        assertEquals(1, mine(later).size(), "a burst of one adds no count line");
        assertEquals(2, mine(marker).size(), "the first burst ended with its count");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void differentFailuresAreEachShownAndAHandlerSeesEveryOne(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        String one = "one " + mode;
        String two = "two " + mode;
        go(() -> { throw new IllegalStateException(one); });
        go(() -> { throw new IllegalStateException(two); });
        eventually(() -> mine(one).size() == 1 && mine(two).size() == 1, 5);

        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Csp.setUncaughtExceptionHandler(seen::add);
        String same = "same " + mode;
        for (int i = 0; i < 500; i++) {
            go(() -> { throw new IllegalStateException(same); });
        }
        eventually(() -> seen.size() == 500, 10);
        Thread.sleep(50);
        assertEquals(500, seen.size(), "a handler gets every failure, one call each");
        assertEquals(List.of(), mine(same), "nothing of them in the log");
        assertEquals(1, mine(one).size());
    }

    /**
     * The lines about failures whose message contains {@code marker} (other tests of this JVM may
     * end bursts of their own while this one runs).
     */
    private List<Line> mine(String marker) {
        return lines.stream()
                .filter(l -> l.thrown() != null ? String.valueOf(l.thrown().getMessage()).contains(marker)
                        : l.message().contains(marker))
                .toList();
    }

    private static void eventually(Supplier<Boolean> condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }
}
