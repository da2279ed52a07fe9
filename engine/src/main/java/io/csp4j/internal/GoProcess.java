package io.csp4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A process, in either mode: what every go block has in common, whether it runs as a
 * {@link LoopProcess} (a continuation on a dispatcher lane) or as a {@link VirtualProcess} (a
 * virtual thread). It is "the current process" inside the body ({@link #current()}), and it carries
 * what cancellation, scopes and diagnostics need: an id, an optional name, the scope it belongs
 * to, the cancelled flag, and the wait it is parked in.
 *
 * <p>Overview of cancellation. {@link #cancel()} sets {@link #cancelled} (sticky: never reset) and
 * then tries to withdraw the operation the process is parked in, through that operation's own
 * {@link ParkingHandler.Canceller}, the same one an interrupted or pinned waiter uses. If the
 * withdrawal wins, nothing happened (the value stays with the putter or in the channel, an alts
 * commits to none of its operations) and the canceller wakes the process with
 * {@link ParkingHandler#CANCELLED}, which the park turns into a {@code ProcessCancelledException}.
 * If the operation fired first, its result stands and the process sees the cancellation at its
 * next park. Every park point of a cancelled process throws at once ({@link #checkCancelled}), so a
 * {@code catch} that swallows one cancellation cannot make the process park forever; only parks
 * inside non-cancellable blocks ({@link #enterNonCancellable}) wait normally.
 *
 * <p>The race between {@code cancel()} on one thread and a park on the process's own thread is a
 * Dekker pair: the park publishes its handler ({@link #parked}) and then reads {@code cancelled};
 * {@code cancel()} writes {@code cancelled} and then reads {@code parked}, with a full fence on each
 * side between the write and the read, so at least one of them sees the other. In loop mode the
 * fence on the park side is the compare-and-set that {@link LoopProcess#park} already does, so a
 * park costs no extra fence; the handler is written plainly before it.
 *
 * <pre>
 * field           written by                     read by
 * cancelled       cancel() (volatile, once)       every park point; cancel() itself
 * parked          the process, before each park  cancel(), diagnostics (racy snapshot)
 * shield          the process only               the process only (a park inside publishes no canceller)
 * extras          construction, or the first id() or scope opened inside; then read-mostly
 * </pre>
 *
 * <p>A process started with {@code go(...)} outside any scope has no name and no scope, is never
 * cancelled, and behaves exactly as before: the only cost per park is the plain write of
 * {@link #parked} and the read of {@code cancelled}.
 */
public abstract class GoProcess {

    /**
     * The thread's {@link Current} slot: a lane thread's is its {@link LaneWatchdog.Carrier}, set once,
     * so that a loop-mode step costs two plain writes instead of two {@code ThreadLocal} updates; a
     * virtual-mode process's thread gets one for its life.
     */
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();
    private static final VarHandle EXTRAS;
    private static final VarHandle PARKED;
    private static long nextId; // guarded by GoProcess.class

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EXTRAS = l.findVarHandle(GoProcess.class, "extras", Extras.class);
            PARKED = l.findVarHandle(GoProcess.class, "parked", ParkingHandler.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What few processes need, kept out of the process itself so that a plain {@code go} (no name,
     * no scope, never looked at) pays one null field for it: the heap per parked process is a
     * measured figure (W5).
     */
    private static final class Extras {
        final String name;
        final Object scope;
        /** 0 until first asked for. */
        volatile long id;
        /** What to run on cancel (scopes opened by the process); guarded by the process; usually null. */
        java.util.List<Runnable> cancelListeners;

        Extras(String name, Object scope) {
            this.name = name;
            this.scope = scope;
        }
    }

    /** Name, scope, id and cancel listeners; {@code null} until one of them is needed. */
    private volatile Extras extras;
    /** Set once by {@link #cancel()}; never reset. */
    private volatile boolean cancelled;
    /** Nesting depth of non-cancellable blocks; touched only by the process itself. */
    private short shield;
    /** The handler of the current (or last) park; see the class comment for its publication. */
    private ParkingHandler parked;
    /**
     * When the current (or last) park began, {@link LaneWatchdog#coarseMillis()}: here rather than in
     * the handler, since an int fits in the padding of a loop process and a handler had no room left.
     */
    int parkedAt;

    /** This process's entry in the {@link ProcessRegistry} (for the dump and the leak report), or null until its first park. */
    ProcessRegistry.Entry diagnostics;

    GoProcess(String name, Object scope) {
        if (name != null || scope != null) {
            this.extras = new Extras(name, scope);
        }
        if (ProcessRegistry.recordsStartSites()) {
            ProcessRegistry.registerAtStart(this); // -Dcsp4j.startSites=true: listed from the start, with where
        }
    }

    /** Which process's body runs on a thread now. Only that thread writes and reads it. */
    static class Current {
        GoProcess process;
    }

    /** The process whose body is running on this thread (a loop-mode step or a virtual-mode thread), or null. */
    public static GoProcess current() {
        Current c = CURRENT.get();
        return c == null ? null : c.process;
    }

    /** This thread's slot, or null if none was installed. */
    static Current currentSlot() {
        return CURRENT.get();
    }

    /** Installs {@code slot} as this thread's (null removes it): a lane thread's carrier, a virtual thread's own. */
    static void installSlot(Current slot) {
        if (slot == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(slot);
        }
    }

    /** Submits the process's first step (loop) or starts its thread (virtual). Called once. */
    public abstract void start();

    /** The extras, made on first need (a CAS, so racing makers agree on one). */
    private Extras extras() {
        Extras e = extras;
        if (e == null) {
            Extras fresh = new Extras(null, null);
            e = EXTRAS.compareAndSet(this, null, fresh) ? fresh : extras;
        }
        return e;
    }

    /**
     * A number unique among the processes of this JVM, assigned on first call (so in order of
     * first interest, not of start). Thread-safe.
     */
    public final long id() {
        ProcessRegistry.Entry d = diagnostics;
        if (d != null) {
            return d.id; // registered at its first park: the entry holds the id (no Extras for it)
        }
        Extras e = extras;
        if (e != null && e.id != 0) {
            return e.id;
        }
        synchronized (this) {
            d = diagnostics;
            if (d != null) {
                return d.id;
            }
            e = extras();
            if (e.id == 0) {
                e.id = newId();
            }
            return e.id;
        }
    }

    /**
     * The id for this process's registry entry: the one already given, else a new one. The caller
     * holds this process's monitor and publishes the entry before releasing it, so {@link #id()}
     * never hands out two ids for one process.
     */
    final long idForRegistry() {
        Extras e = extras;
        return e != null && e.id != 0 ? e.id : newId();
    }

    private static long newId() {
        synchronized (GoProcess.class) {
            return ++nextId;
        }
    }

    /** The name given at start, or {@code null}. */
    public final String name() {
        Extras e = extras;
        return e == null ? null : e.name;
    }

    /** The scope the process was started in (an engine-internal scope object), or {@code null}. */
    public final Object scope() {
        Extras e = extras;
        return e == null ? null : e.scope;
    }

    /** Whether {@link #cancel()} was called. Sticky. */
    public final boolean isCancelled() {
        return cancelled;
    }

    /**
     * Requests cancellation: effective at the current park (withdrawn if it has not happened) or
     * at the next one. Idempotent, thread-safe, never blocks.
     *
     * @return true if this call cancelled the process, false if it was cancelled already
     */
    public final boolean cancel() {
        if (cancelled) {
            return false;
        }
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true; // volatile write; then (fence) read parked: the other half of the Dekker pair
        }
        VarHandle.fullFence();
        acquirePark();
        ParkingHandler h = (ParkingHandler) PARKED.getAcquire(this);
        if (h != null) {
            h.cancelIfParked();
        }
        Runnable[] listeners = null;
        Extras e = extras;
        if (e != null) {
            synchronized (this) {
                listeners = e.cancelListeners == null ? null : e.cancelListeners.toArray(new Runnable[0]);
            }
        }
        if (listeners != null) {
            for (Runnable r : listeners) {
                r.run(); // scopes this process opened: cancel their children now, not at its next park
            }
        }
        return true;
    }

    /**
     * Called by {@link #cancel()} between its write of the flag and its read of {@link #parked}: a
     * mode whose park publishes the handler with a volatile write of its own (loop mode's state
     * CAS) reads that variable here, so the handler written before it is visible.
     */
    void acquirePark() {}

    /**
     * Runs {@code r} when this process is cancelled (at once if it already is): how a scope opened
     * inside a process learns that the process was cancelled.
     */
    final void addCancelListener(Runnable r) {
        Extras e = extras();
        synchronized (this) {
            if (!cancelled) {
                if (e.cancelListeners == null) {
                    e.cancelListeners = new java.util.ArrayList<>(2);
                }
                e.cancelListeners.add(r);
                return;
            }
        }
        r.run();
    }

    /** Undoes {@link #addCancelListener}. */
    final synchronized void removeCancelListener(Runnable r) {
        Extras e = extras;
        if (e != null && e.cancelListeners != null) {
            e.cancelListeners.remove(r);
        }
    }

    /**
     * Called by the park path before it waits: records the wait for {@link #cancel()} and for
     * diagnostics. Plain write; the caller provides the fence (see the class comment).
     */
    final void parking(ParkingHandler h) {
        if (shield != 0) {
            h.shielded = true; // inside a non-cancellable block: cancel() must leave this park alone
        }
        parked = h;
    }

    /**
     * What the process is parked in at this moment, or {@code null} if it is running, waiting for its
     * lane, or ended. A racy snapshot, for diagnostics: by the time it is read the park may be over.
     */
    public final Park parkedNow() {
        ParkingHandler h = (ParkingHandler) PARKED.getAcquire(this);
        if (h == null || h.isDone()) {
            return null;
        }
        Object on = h.on;
        if (on == null) {
            return null;
        }
        long now = LaneWatchdog.coarseNanoTime();
        int parkedForMillis = (int) (now / 1_000_000) - parkedAt; // int arithmetic: right across the wrap
        return new Park(h.operation(), on, now - Math.max(0, parkedForMillis) * 1_000_000L);
    }

    /**
     * One park of a process.
     *
     * @param operation {@code "put()"}, {@code "take()"}, {@code "alts()"} or {@code "await()"}
     *     ({@code sleep} is a take on a {@code timeout} channel)
     * @param on the channel, the list of {@code alts} operations, or the awaited stage
     * @param sinceNanos {@link System#nanoTime()} when the park began
     */
    public record Park(String operation, Object on, long sinceNanos) {}

    /** Whether a park point of this process must throw now: cancelled and not inside a non-cancellable block. */
    public final boolean mustStop() {
        return cancelled && shield == 0;
    }

    /**
     * The check at the start of every park point and of {@code checkCancelled()}.
     *
     * @throws io.csp4j.ProcessCancelledException if the process is cancelled and not in a non-cancellable block
     */
    public final void checkCancelled(String what) {
        if (cancelled && shield == 0) {
            throw new io.csp4j.ProcessCancelledException(what + " did not happen: the process was cancelled");
        }
    }

    /** Enters a non-cancellable block (nestable); parks inside it wait normally even if cancelled. */
    public final void enterNonCancellable() {
        shield++;
    }

    /** Leaves a non-cancellable block. */
    public final void exitNonCancellable() {
        shield--;
    }

    @Override
    public String toString() {
        String name = name();
        return "process#" + id() + (name != null ? " " + name : "") + (cancelled ? " (cancelled)" : "");
    }
}
