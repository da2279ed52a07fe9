package io.csp4j.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The engine's JDK Flight Recorder events: what is worth recording in production.
 *
 * <pre>
 * event                        committed when                                          default
 * csp4j.ProcessParked          a process (or a thread) waited longer than the threshold  threshold 20 ms
 *                              in put, take, alts, sleep or await; on its resumption
 * csp4j.PendingLimitReached    a channel's queue of pending puts or takes became full,   every time
 *                              or refused one more (the IllegalStateException)
 * csp4j.ProcessFailed          a go block ended with an exception                        every time
 * </pre>
 *
 * <p>Cost when nothing records: one static read per park and nothing else. The event classes are
 * not even loaded until the JDK's flight recorder has started ({@link FlightRecorder#isInitialized()}:
 * a recording from the command line, {@code jcmd JFR.start}, or the {@code Recording} API), since
 * loading the first event class starts JFR's metadata, which took about half a second on a
 * program's first park here. After that, one {@code isEnabled()} check per park (a static read in the
 * instrumented event class); an event object is made only while a recording has the event enabled. A parked event is begun before the
 * park and ended after it on the process's own thread (a loop-mode process never changes thread),
 * so JFR's own threshold setting ({@code csp4j.ProcessParked#threshold}) applies. Tested by
 * {@code JfrEventsTest}, which also reads a recording back with {@code jfr print}.
 */
public final class JfrEvents {

    private JfrEvents() {}

    /** A park that lasted at least the threshold. */
    @Name("csp4j.ProcessParked")
    @Label("Process Parked")
    @Category("csp4j")
    @Description("A go block (or a thread) waited on a channel operation, sleep or await longer than the threshold")
    @Threshold("20 ms")
    @StackTrace(false)
    static final class ProcessParked extends Event {
        @Label("Process")
        String process;
        @Label("Operation")
        String operation;
        @Label("Parked On")
        String parkedOn;
    }

    /** A channel's pending-operation queue became full, or refused an operation. */
    @Name("csp4j.PendingLimitReached")
    @Label("Pending Limit Reached")
    @Category("csp4j")
    @Description("A channel's queue of pending puts or takes reached its limit (core.async's 1024), or refused one more")
    static final class PendingLimitReached extends Event {
        @Label("Channel")
        String channel;
        @Label("Side")
        String side;
        @Label("Limit")
        int limit;
        @Label("Refused")
        @Description("true when an operation was refused with IllegalStateException; false when the queue just became full")
        boolean refused;
    }

    /** A go block ended with an exception. */
    @Name("csp4j.ProcessFailed")
    @Label("Process Failed")
    @Category("csp4j")
    @Description("A go block ended with an exception")
    @StackTrace(false)
    static final class ProcessFailed extends Event {
        @Label("Process")
        String process;
        @Label("Exception")
        String exceptionClass;
        @Label("Message")
        String message;
        @Label("Thrown At")
        String thrownAt;
    }

    /** Set once the flight recorder has been seen started (it never stops being initialized). */
    private static boolean recorderStarted;

    /** Whether the flight recorder has started, without starting it; a plain read once it has. */
    private static boolean recorderStarted() {
        if (recorderStarted) {
            return true;
        }
        if (!FlightRecorder.isInitialized()) {
            return false;
        }
        recorderStarted = true; // racy and idempotent
        return true;
    }

    /** The event classes' enabled checks, loaded on the first use after the recorder started. */
    private static final class Probes {
        static final ProcessParked PARKED = new ProcessParked();
        static final PendingLimitReached LIMIT = new PendingLimitReached();
        static final ProcessFailed FAILED = new ProcessFailed();
    }

    /**
     * Begins a parked event if a recording wants one, else returns {@code null} (the usual case:
     * no allocation).
     */
    static ProcessParked parkBegin() {
        if (!recorderStarted() || !Probes.PARKED.isEnabled()) {
            return null;
        }
        ProcessParked e = new ProcessParked();
        e.begin();
        return e;
    }

    /** Ends {@code e} (from {@link #parkBegin}, may be null) and commits it if it passed the threshold. */
    static void parkEnd(ProcessParked e, Object process, String operation, Object parkedOn) {
        if (e == null) {
            return;
        }
        e.end();
        if (e.shouldCommit()) {
            e.process = String.valueOf(process); // only for a park that passed the threshold
            e.operation = operation;
            e.parkedOn = parkedOn == null ? null : String.valueOf(parkedOn);
            e.commit();
        }
    }

    /** A channel's queue of {@code side} ("puts" or "takes") is full ({@code refused}: and said no). */
    static void pendingLimit(Object channel, String side, int limit, boolean refused) {
        if (!recorderStarted() || !Probes.LIMIT.isEnabled()) {
            return;
        }
        PendingLimitReached e = new PendingLimitReached();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.side = side;
            e.limit = limit;
            e.refused = refused;
            e.commit();
        }
    }

    /** A process ended with {@code t}. */
    static void failed(String process, Throwable t) {
        if (!recorderStarted() || !Probes.FAILED.isEnabled()) {
            return;
        }
        ProcessFailed e = new ProcessFailed();
        if (e.shouldCommit()) {
            e.process = process;
            e.exceptionClass = t.getClass().getName();
            e.message = t.getMessage();
            StackTraceElement[] st = t.getStackTrace();
            e.thrownAt = st.length > 0 ? st[0].toString() : null;
            e.commit();
        }
    }
}
