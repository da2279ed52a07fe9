package io.csp4j.internal;

import io.csp4j.ProcessMode;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.Dispatchers;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine's global settings: the dispatcher in use, the process mode, the uncaught-exception
 * handler and the default pending-operation limit. This is dispatch in core.async's layering: the
 * only class that finds a {@link Dispatcher}.
 *
 * <p>The dispatcher is looked up lazily, on first use, never in a static initializer: a binding
 * made with {@link #useDispatcher} wins; otherwise {@link Dispatchers#findProvider()} decides.
 */
public final class Engine {

    /** The system property with the default limit of pending puts and takes per channel. */
    public static final String MAX_PENDING_PROPERTY = "csp4j.maxPending";
    /** core.async's {@code MAX-QUEUE-SIZE}. */
    public static final int DEFAULT_MAX_PENDING = 1024;

    private static final System.Logger LOG = System.getLogger("io.csp4j");
    private static final Object LOCK = new Object();

    private static volatile Dispatcher dispatcher;
    private static volatile boolean dispatcherFromLookup;
    private static volatile ProcessMode mode;
    private static volatile Consumer<Throwable> uncaught;

    private Engine() {}

    /** The dispatcher in use, looked up on first call. */
    public static Dispatcher dispatcher() {
        Dispatcher d = dispatcher;
        if (d != null) {
            return d;
        }
        synchronized (LOCK) {
            if (dispatcher == null) {
                dispatcher = Dispatchers.findProvider().create();
                dispatcherFromLookup = true;
            }
            return dispatcher;
        }
    }

    /** The dispatcher in use if one was bound or looked up already, else {@code null}. */
    static Dispatcher dispatcherIfPresent() {
        return dispatcher;
    }

    /**
     * Binds {@code d} as the dispatcher for everything started from now on; {@code null} unbinds, so
     * the next use looks one up again. A dispatcher the engine looked up itself is closed when
     * replaced; one bound by the application is left to it.
     *
     * @return the dispatcher bound before, or {@code null}
     */
    public static Dispatcher useDispatcher(Dispatcher d) {
        synchronized (LOCK) {
            Dispatcher old = dispatcher;
            boolean oldOwned = dispatcherFromLookup;
            dispatcher = d;
            dispatcherFromLookup = false;
            if (old != null && old != d && oldOwned) {
                old.close();
                return null;
            }
            return old;
        }
    }

    /**
     * Closes the dispatcher the engine looked up itself and forgets it (a later use looks up a new
     * one); a dispatcher bound with {@link #useDispatcher} is left to the application.
     *
     * @return whether a dispatcher was closed
     */
    public static boolean shutdown() {
        synchronized (LOCK) {
            Dispatcher d = dispatcher;
            if (d == null || !dispatcherFromLookup) {
                return false;
            }
            dispatcher = null;
            dispatcherFromLookup = false;
            d.close();
            return true;
        }
    }

    /** The process mode of new processes (see {@link ProcessMode}), decided on first call. */
    public static ProcessMode processMode() {
        ProcessMode m = mode;
        if (m != null) {
            return m;
        }
        synchronized (LOCK) {
            if (mode == null) {
                mode = chooseMode();
            }
            return mode;
        }
    }

    /**
     * Sets the process mode of processes started from now on.
     *
     * @throws IllegalStateException if {@code LOOP} is asked for and the JVM option is missing
     */
    public static void useProcessMode(ProcessMode m) {
        Objects.requireNonNull(m, "mode");
        if (m == ProcessMode.LOOP && !Continuations.AVAILABLE) {
            throw loopUnavailable();
        }
        mode = m;
    }

    private static ProcessMode chooseMode() {
        String forced = System.getProperty(ProcessMode.PROPERTY);
        if (forced != null && !forced.isBlank()) {
            ProcessMode m = switch (forced.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "loop" -> ProcessMode.LOOP;
                case "virtual" -> ProcessMode.VIRTUAL;
                default -> throw new IllegalStateException("-D" + ProcessMode.PROPERTY + "=" + forced
                        + " is not a process mode: use loop or virtual");
            };
            if (m == ProcessMode.LOOP && !Continuations.AVAILABLE) {
                throw loopUnavailable();
            }
            return m;
        }
        if (Continuations.AVAILABLE) {
            return ProcessMode.LOOP;
        }
        LOG.log(System.Logger.Level.INFO, "csp4j runs go blocks on virtual threads (virtual mode). For loop mode,"
                + " about 2x faster per switch and with go blocks on the dispatcher's own threads, start the JVM with "
                + Continuations.JVM_OPTION + " (or add 'Add-Exports: java.base/jdk.internal.vm' to the"
                + " application jar's manifest; on the module path use"
                + " --add-exports java.base/jdk.internal.vm=io.csp4j.engine).");
        return ProcessMode.VIRTUAL;
    }

    static IllegalStateException loopUnavailable() {
        return new IllegalStateException("Loop mode needs the JVM option " + Continuations.JVM_OPTION
                + " (on the module path: --add-exports java.base/jdk.internal.vm=io.csp4j.engine);"
                + " add it, or use -D" + ProcessMode.PROPERTY + "=virtual. Cause: " + Continuations.UNAVAILABLE_CAUSE);
    }

    /** Whether loop mode can be used in this JVM. */
    public static boolean loopModeAvailable() {
        return Continuations.AVAILABLE;
    }

    /**
     * Sets where exceptions of go blocks, callbacks and transformations go; {@code null} restores the
     * default (the default uncaught-exception handler if one is set, else a log line at ERROR, with
     * identical failures within a second counted in one more line: {@link FailureLog}).
     */
    public static void setUncaughtExceptionHandler(Consumer<Throwable> handler) {
        uncaught = handler;
    }

    /** Reports an exception nobody else will see. Never throws. */
    public static void report(Throwable t) {
        try {
            Consumer<Throwable> h = uncaught;
            if (h != null) {
                h.accept(t);
                return;
            }
            Thread.UncaughtExceptionHandler global = Thread.getDefaultUncaughtExceptionHandler();
            if (global != null) {
                global.uncaughtException(Thread.currentThread(), t);
            } else {
                FailureLog.log(t); // one stack trace per burst of identical failures, then a count
            }
        } catch (Throwable ignored) {
            // The handler itself failed: nothing more can be done without risking the caller.
        }
    }

    /** The default pending-operation limit: {@code -Dcsp4j.maxPending}, else 1024. */
    static int defaultMaxPending() {
        String v = System.getProperty(MAX_PENDING_PROPERTY);
        if (v == null) {
            return DEFAULT_MAX_PENDING;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new IllegalStateException("-D" + MAX_PENDING_PROPERTY + "=" + v + " must be a whole number >= 1");
    }

    /**
     * Throws if the calling thread must not block: a dispatcher thread outside any process.
     *
     * @param what the operation, e.g. {@code "take()"}
     * @param instead the non-blocking alternative, e.g. {@code "takeAsync()"}
     */
    static void checkMayBlock(String what, String instead) {
        Dispatcher d = dispatcher;
        if (d != null && d.isDispatcherThread()) {
            throw new IllegalStateException(what + " would block the " + d.name() + " dispatcher's thread "
                    + Thread.currentThread().getName() + ": call it inside go(...) or use " + instead);
        }
    }
}
