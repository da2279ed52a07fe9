package io.csp4j.internal;

import io.csp4j.spi.Dispatcher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * A process in loop mode: its body is a one-shot continuation driven by the dispatcher, one step
 * per task on its lane.
 *
 * <p>Overview. A step ({@link #run}) mounts the continuation on the lane's thread, so inside the
 * body {@code Thread.currentThread()} is the dispatcher's thread. A lane must be one thread: a
 * continuation that moved between threads could see a stale {@code Thread.currentThread()} in
 * JIT-compiled frames (found by {@code ProcessAffinityRegressionTest}). Parking yields the continuation
 * and the step returns; resuming submits a new step to the lane. Every resumption goes through the
 * lane's {@code execute}, so a chain of 100,000 processes never grows a stack, and at most one step
 * of a process is ever submitted, so its steps never overlap.
 *
 * <p>The park/resume race (the handler may fire on another thread before the yield has finished)
 * is settled by one state word, in the manner of the JDK's {@code VirtualThread}:
 * <pre>
 *  RUNNING --park()--> PARKING --step ends--> PARKED --resume()--> RUNNING (step submitted)
 *     |                   |
 *     | resume() before   | resume() during the yield
 *     v   park()          v
 *  RESUMED_EARLY <--------+   park() sees it and does not yield; or the step ends, sees it,
 *                             and submits the next step itself
 * </pre>
 * Each park is matched by exactly one resume (a handler fires once).
 */
final class LoopProcess extends GoProcess implements Runnable {

    /** The body is running (or about to run) on the lane. */
    private static final byte RUNNING = 0;
    /** The body has decided to park and is yielding. */
    private static final byte PARKING = 1;
    /** The continuation is unmounted, waiting for {@link #resume()}. */
    private static final byte PARKED = 2;
    /** resume() came while RUNNING or PARKING; the process must go on without waiting. */
    private static final byte RESUMED_EARLY = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LoopProcess.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile boolean affinityWarned;

    private final Object continuation;
    private final Dispatcher dispatcher;
    /** The lane of every step after the first: the lane the first step ran on (set by {@link #run}). */
    private Executor lane;
    private volatile byte state; // a byte: with GoProcess's fields the object stays at 48 bytes
    /**
     * The thread of the first step, with its record for the blocked-lane warning; every later step
     * must run on it (see {@link #run}).
     */
    private LaneWatchdog.Carrier carrier;

    LoopProcess(Runnable body, Dispatcher dispatcher) {
        this(body, dispatcher, null, null);
    }

    LoopProcess(Runnable body, Dispatcher dispatcher, String name, Object scope) {
        super(name, scope);
        this.continuation = Continuations.create(body);
        this.dispatcher = dispatcher;
    }

    /** The loop-mode process whose step is running on this thread, or {@code null}. */
    static LoopProcess currentLoop() {
        return GoProcess.current() instanceof LoopProcess p ? p : null;
    }

    /** The lane its steps run on (the process dump walks a parked continuation there). */
    Executor lane() {
        return lane;
    }

    /** The lane thread's watchdog record, or null before the first step. */
    LaneWatchdog.Carrier carrierNow() {
        return carrier;
    }

    /** Whether a step of this process is running on its lane thread at this moment (racy, for diagnostics). */
    boolean isRunningNow() {
        LaneWatchdog.Carrier c = carrier;
        return c != null && LaneWatchdog.runningOn(c) == this;
    }

    /**
     * The frames of this process while it is not running, innermost first, or {@code null} if it
     * has ended or runs now. Call on its lane thread only (see {@link Continuations#stackTrace}).
     */
    StackTraceElement[] stackBetweenSteps() {
        if (Continuations.isDone(continuation) || isRunningNow()) {
            return null;
        }
        return Continuations.stackTrace(continuation);
    }

    /**
     * Submits the first step. The dispatcher may place it on any lane (and move it until it runs);
     * the lane it runs on becomes the process's lane for good.
     */
    @Override
    public void start() {
        dispatcher.spawn(this);
    }

    /** One step: runs the body until it parks or ends. */
    @Override
    public void run() {
        // A continuation must not move between threads: JIT-compiled frames of the body may keep a
        // Thread.currentThread() read before a park and use it after (ThreadLocals, lock owners),
        // which is only right if the thread never changes. Dispatchers give single-thread lanes; a
        // dispatcher that does not is reported once (tested by the TCK's lane clauses).
        Thread t = Thread.currentThread();
        LaneWatchdog.Carrier c = carrier;
        if (c == null) {
            c = carrier = LaneWatchdog.carrierOf(t); // one ThreadLocal lookup per process, not per step
            lane = dispatcher.lane(); // on a lane's thread: that lane (Dispatcher clause 5c)
        } else if (c.thread != t) {
            if (!affinityWarned) {
                affinityWarned = true;
                Engine.report(new IllegalStateException("Loop mode needs single-thread lanes, but the dispatcher "
                        + dispatcher.name() + " ran one process on " + c.thread.getName() + " and then on "
                        + t.getName() + ". Fix the dispatcher's lane(), or run processes in virtual mode"
                        + " (-Dcsp4j.processes=virtual)."));
            }
            c = LaneWatchdog.carrierOf(t);
        }
        c.process = this; // plain writes: GoProcess.current(), and the blocked-lane warning (LaneWatchdog)
        c.running = this;
        c.steps++;
        try {
            Continuations.run(continuation);
        } finally {
            c.running = null;
            c.process = null;
        }
        if (Continuations.isDone(continuation)) {
            ProcessRegistry.ended(this);
            return;
        }
        // The body yielded in park(): publish PARKED, unless resume() came during the yield.
        if (!STATE.compareAndSet(this, PARKING, PARKED)) {
            state = RUNNING;
            submit();
        }
    }

    /** Submits the next step; a dispatcher that refuses (closed) loses the process, which is reported. */
    private void submit() {
        try {
            lane.execute(this);
        } catch (RuntimeException e) {
            Engine.report(new IllegalStateException("A process could not be resumed: its dispatcher refused the"
                    + " task (closed?). The process is abandoned.", e));
        }
    }

    /**
     * Parks the current process until {@code h} fires. Called on the lane thread, inside the body.
     *
     * @throws IllegalStateException if the continuation is pinned (a native frame or a critical
     *     section on the stack) and the operation could be withdrawn
     */
    void park(ParkingHandler h) {
        if (!STATE.compareAndSet(this, RUNNING, PARKING)) {
            state = RUNNING; // RESUMED_EARLY: the result is already there
            return;
        }
        // Cancellation hook: the CAS above published the park (GoProcess's Dekker pair), so a
        // cancel() that came before it is seen here; withdraw instead of yielding.
        if (h.withdrawIfCancelled()) {
            state = RUNNING;
            return;
        }
        try {
            Continuations.yield();
        } catch (IllegalStateException e) {
            pinned(h, e); // only h is live across the yield (see ParkingHandler.await)
        }
    }

    /** Yielding is impossible: withdraw and fail clearly, or wait for a result already on its way. */
    private static void pinned(ParkingHandler h, IllegalStateException e) {
        LoopProcess self = (LoopProcess) h.owner();
        String what = h.operation();
        if (h.withdrawer().cancel(h)) {
            self.state = RUNNING;
            throw new IllegalStateException(what + " cannot park: the go block is pinned to its thread ("
                    + e.getMessage()
                    + "), e.g. inside a native method or a class initializer. Move the channel operation out"
                    + " of that frame, or run this code with thread(...).", e);
        }
        // The operation fired (or is firing): wait for resume() to mark it, without yielding.
        while (self.state != RESUMED_EARLY) {
            Thread.onSpinWait();
        }
        self.state = RUNNING;
    }

    /** Reads the state word: the park's CAS published the handler (see {@link GoProcess#cancel()}). */
    @Override
    void acquirePark() {
        byte ignored = state; // a volatile read: never elided
    }

    /** Called once per park, from any thread, when the awaited handler fires. */
    void resume() {
        for (;;) {
            byte s = state;
            if (s == PARKED) {
                // Once PARKED, nothing but this one resume of the park writes the state (the lane
                // thread is done with it), so a plain release store will do: no CAS per hand-off.
                // The lane's queue orders it before the next step's park().
                STATE.setRelease(this, RUNNING);
                submit();
                return;
            } else if (s == RUNNING || s == PARKING) {
                if (STATE.compareAndSet(this, s, RESUMED_EARLY)) {
                    return;
                }
            } else {
                throw new IllegalStateException("resume() of a process that is already resumed");
            }
        }
    }
}
