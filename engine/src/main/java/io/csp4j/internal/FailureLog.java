package io.csp4j.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's default report of a failure nobody handles: one log line at ERROR with the stack
 * trace for the first failure of a kind, and one line with a count for the identical ones that
 * follow it within a second, instead of a stack trace each (2,000 go blocks failing the same way
 * used to print 976 stack traces).
 *
 * <p>Two failures are identical when they have the same class, message and throwing frame. A burst
 * starts with a failure whose kind has no open burst; it is logged at once, with its trace. Every
 * identical failure in the next {@link #WINDOW_MILLIS} ms only counts. When the window ends, a
 * virtual thread logs "...happened N more times" (nothing when N is 0) and the kind is free again;
 * a shutdown hook logs the counts of bursts still open when the JVM exits.
 *
 * <pre>
 *   counter:  0 .. n     the burst is open; identical failures increment it
 *             CLOSED     the window ended and the count was logged; a failure that sees it
 *                        starts a new burst
 * </pre>
 *
 * Used only when no handler is set ({@code Csp.setUncaughtExceptionHandler}) and the JVM has no
 * default uncaught-exception handler: a handler still receives every failure, one call each.
 * Pinned by FailureBurstTest.
 */
final class FailureLog {

    /** How long identical failures are counted after the first before the count is logged. */
    static final long WINDOW_MILLIS = 1_000;
    /** The counter of a burst whose count was logged: no longer counts. */
    private static final int CLOSED = Integer.MIN_VALUE;

    /** Where the lines go: the engine's logger ({@code io.csp4j}); FailureBurstTest puts its own here. */
    static volatile System.Logger log = System.getLogger("io.csp4j");
    private static final ConcurrentHashMap<Kind, AtomicInteger> OPEN = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    /** What makes two failures identical. */
    private record Kind(Class<?> type, String message, StackTraceElement where) {
        static Kind of(Throwable t) {
            StackTraceElement[] st = t.getStackTrace();
            return new Kind(t.getClass(), t.getMessage(), st.length > 0 ? st[0] : null);
        }
    }

    private FailureLog() {}

    /** Logs {@code t}, or counts it if an identical failure was logged less than a window ago. */
    static void log(Throwable t) {
        Kind kind = Kind.of(t);
        while (true) {
            AtomicInteger fresh = new AtomicInteger();
            AtomicInteger open = OPEN.putIfAbsent(kind, fresh);
            if (open == null) {
                log.log(System.Logger.Level.ERROR, "Uncaught exception in a csp4j process or callback"
                        + " (identical ones in the next " + WINDOW_MILLIS + " ms are counted, not shown)", t);
                closeLater(kind, fresh);
                return;
            }
            if (open.getAndUpdate(n -> n == CLOSED ? CLOSED : n + 1) != CLOSED) {
                return; // counted in the open burst
            }
            OPEN.remove(kind, open); // closed meanwhile: start a new burst
        }
    }

    private static void closeLater(Kind kind, AtomicInteger count) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(FailureLog::closeAll, "csp4j-failure-log"));
        }
        Thread.ofVirtual().name("csp4j-failure-log").start(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(WINDOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close(kind, count);
        });
    }

    private static void closeAll() {
        OPEN.forEach(FailureLog::close);
    }

    /** Ends a burst: logs its count unless it is 0, once, whoever gets here first. */
    private static void close(Kind kind, AtomicInteger count) {
        int n = count.getAndSet(CLOSED);
        OPEN.remove(kind, count);
        if (n > 0) {
            String what = kind.type().getName() + (kind.message() != null ? ": " + kind.message() : "");
            log.log(System.Logger.Level.ERROR, "The same uncaught exception happened " + n + " more time"
                    + (n == 1 ? "" : "s") + " within " + WINDOW_MILLIS + " ms (stack traces not shown): " + what);
        }
    }
}
