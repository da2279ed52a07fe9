package io.csp4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The blocked-lane warning: in loop mode a go block that blocks its thread ({@code Thread.sleep},
 * {@code Future.get}, blocking I/O) stalls every process on that lane. Like Vert.x's blocked-thread
 * checker, one daemon thread looks at every lane thread now and then and warns (System.Logger
 * {@code io.csp4j}, WARNING) when one step of a process has run longer than the threshold, naming the
 * process and showing the lane thread's stack.
 *
 * <p>Overview. Each thread that runs loop-mode steps has one {@link Carrier}, which a
 * {@link LoopProcess} looks up once, at its first step, and keeps. A step costs two plain writes
 * and an increment: {@code running = process; steps++} at its start and
 * {@code running = null} at its end; no clock is read on the lane. The watchdog samples each carrier
 * every quarter threshold (at most every 250 ms): a carrier whose {@code running} and {@code steps}
 * have not changed since the first sample of that step has been running one step for at least the
 * time since that sample.
 *
 * <pre>
 * per carrier, seen by the watchdog:
 *   IDLE or MOVING  (running == null, or steps changed)   -> remember steps, since = now
 *   SAME STEP       (running != null, steps unchanged)    -> now - since >= threshold ? warn once per step
 * </pre>
 *
 * <p>The threshold is {@value #PROPERTY} in milliseconds (default {@value #DEFAULT_MILLIS}; 0 turns
 * the warning off), read at every sample so it can be changed at run time. Virtual mode needs no
 * warning: a blocking call there unmounts the virtual thread and stalls nobody. Tested by the TCK's
 * clause 4.3 on every backend.
 */
public final class LaneWatchdog {

    /** The system property: the longest step, in milliseconds, before the warning (0: off). */
    public static final String PROPERTY = "csp4j.blockedLaneMillis";
    /** The default threshold: a step of a go block is normally microseconds. */
    public static final long DEFAULT_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger("io.csp4j");
    private static final CopyOnWriteArrayList<Carrier> CARRIERS = new CopyOnWriteArrayList<>();
    private static final VarHandle RUNNING;
    private static final VarHandle STEPS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RUNNING = l.findVarHandle(Carrier.class, "running", LoopProcess.class);
            STEPS = l.findVarHandle(Carrier.class, "steps", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile Thread watchdog;
    /**
     * System.nanoTime() as of the watchdog's last wake-up (at most 250 ms old), 0 before it runs: the
     * clock a park reads for "parked since" (the dump's "how long"), so that parking reads no clock.
     */
    private static volatile long coarseNanos;
    /** Where warnings go besides the log, for tests; null normally. */
    private static volatile Consumer<String> listener;

    private LaneWatchdog() {}

    /**
     * A thread that runs loop-mode steps, as the watchdog sees it; also the thread's
     * {@link GoProcess.Current} slot (one {@code ThreadLocal} entry per lane thread).
     */
    static final class Carrier extends GoProcess.Current {
        final Thread thread;
        /** The process whose step runs now, or null. Written plainly by the lane, read opaquely by the watchdog. */
        LoopProcess running;
        /** Steps started on this thread (wraps around; only equality matters). Plain writes, opaque reads. */
        int steps;
        // The watchdog's own bookkeeping (only its thread touches these).
        private int seenSteps;
        private long since;
        private boolean warned;

        Carrier(Thread thread) {
            this.thread = thread;
        }
    }

    /** The carrier record of lane thread {@code t} (the calling thread), made and watched on first use. */
    static Carrier carrierOf(Thread t) {
        GoProcess.Current slot = GoProcess.currentSlot();
        Carrier c;
        if (slot instanceof Carrier mine) {
            c = mine;
        } else {
            c = new Carrier(t);
            GoProcess.installSlot(c);
            CARRIERS.add(c);
            if (watchdog == null) {
                startWatchdog();
            }
        }
        return c;
    }

    /** The process whose step runs on {@code c}'s thread now, or null (racy, for diagnostics). */
    static LoopProcess runningOn(Carrier c) {
        return (LoopProcess) RUNNING.getOpaque(c);
    }

    /** The processes whose steps run on lane threads now. */
    static java.util.List<LoopProcess> runningNow() {
        java.util.List<LoopProcess> out = new java.util.ArrayList<>();
        for (Carrier c : CARRIERS) {
            LoopProcess p = runningOn(c);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Starts the watchdog thread if it is not running yet (the process registry needs it too). */
    static void ensureStarted() {
        if (watchdog == null) {
            startWatchdog();
        }
    }

    /** The threshold now, in milliseconds; 0 when the warning is off. */
    public static long thresholdMillis() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MILLIS;
        }
        try {
            return Math.max(0, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_MILLIS;
        }
    }

    /**
     * Sends every warning also to {@code l} (the message with the stack), or stops with {@code null}.
     * For tests and tools; the warning is logged either way.
     */
    public static void setListener(Consumer<String> l) {
        listener = l;
    }

    /**
     * Now, to within the watchdog's period (250 ms at most; the dump shows how long a process has
     * been parked): a volatile read, no clock. Before the watchdog runs (virtual mode only), the clock.
     */
    static long coarseNanoTime() {
        long t = coarseNanos;
        return t != 0 ? t : System.nanoTime();
    }

    /**
     * {@link #coarseNanoTime()} in milliseconds, as an int that wraps every 49 days: for "parked since",
     * where the difference of two such values (int arithmetic) is right for parks shorter than 24 days.
     */
    static int coarseMillis() {
        return (int) (coarseNanoTime() / 1_000_000);
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("csp4j-watchdog").unstarted(() -> {
            ProcessRegistry.registerMBean(); // lazily, off the lanes: JMX's first use takes a while
            watch();
        });
        t.setPriority(Thread.MAX_PRIORITY); // a busy machine must not delay the one thread that reports delays
        watchdog = t;
        t.start();
    }

    private static void watch() {
        for (;;) {
            long threshold = thresholdMillis();
            try {
                // Short sleeps even when off, so that a threshold set at run time takes effect at once.
                Thread.sleep(threshold == 0 ? 100 : Math.max(5, Math.min(250, threshold / 4)));
            } catch (InterruptedException e) {
                return;
            }
            coarseNanos = System.nanoTime();
            ProcessRegistry.housekeeping();
            if (threshold == 0) {
                continue;
            }
            long now = System.nanoTime();
            for (Carrier c : CARRIERS) {
                if (!c.thread.isAlive()) {
                    CARRIERS.remove(c);
                    continue;
                }
                check(c, now, threshold);
            }
        }
    }

    private static void check(Carrier c, long now, long threshold) {
        LoopProcess p = (LoopProcess) RUNNING.getOpaque(c);
        int steps = (int) STEPS.getOpaque(c);
        if (p == null || steps != c.seenSteps) {
            c.seenSteps = steps;
            c.since = now;
            c.warned = false;
            return;
        }
        long ms = (now - c.since) / 1_000_000;
        if (c.warned || ms < threshold) {
            return;
        }
        c.warned = true;
        StackTraceElement[] stack = c.thread.getStackTrace();
        // The step may have ended while the stack was taken: then it is not worth a warning.
        if (RUNNING.getOpaque(c) != p || (int) STEPS.getOpaque(c) != steps) {
            return;
        }
        Throwable where = new Throwable("the stack of lane thread " + c.thread.getName()) {
            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        };
        where.setStackTrace(stack);
        String msg = "Process " + p + " has blocked lane thread " + c.thread.getName() + " for "
                + ms + " ms (more than " + PROPERTY + "=" + threshold + "): every process on this lane waits"
                + " meanwhile. In loop mode a go block must not block its thread (Thread.sleep, Future.get,"
                + " blocking I/O): use sleep(d), await(stage) or thread(...) instead.";
        LOG.log(System.Logger.Level.WARNING, msg, where);
        Consumer<String> l = listener;
        if (l != null) {
            StringBuilder sb = new StringBuilder(msg);
            for (StackTraceElement e : stack) {
                sb.append("\n\tat ").append(e);
            }
            try {
                l.accept(sb.toString());
            } catch (RuntimeException ignored) {
                // a listener's failure must not stop the watchdog
            }
        }
    }
}
