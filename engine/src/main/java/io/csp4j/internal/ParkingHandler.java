package io.csp4j.internal;

import io.csp4j.CspInterruptedException;
import io.csp4j.ProcessCancelledException;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A handler whose owner waits for it: a loop-mode process parks its continuation, any other thread
 * (a virtual-mode process's virtual thread, or an ordinary thread) blocks with {@link LockSupport}.
 * Also the waiter of a whole {@code alts} (then {@link #index} says which operation won).
 *
 * <pre>
 * owner              waits with                          woken by fire() with
 * loop process       {@link LoopProcess#park}               {@link LoopProcess#resume} (a task on its lane)
 * any other thread   LockSupport.park until {@link #done}    done = true; unpark(thread)
 * </pre>
 *
 * <p>A handler owned by a process (either mode) also records what it waits for ({@link #on}; the
 * operation follows from it, see {@link #operation()}; when the park began is the process's
 * {@link GoProcess#parkedAt}, which costs no room there) and how to withdraw it
 * ({@link #canceller()}), and publishes itself as
 * the process's current park ({@link GoProcess#parking}) before waiting: that is how
 * {@link GoProcess#cancel()} withdraws it and how diagnostics see it. A withdrawn park is woken with
 * {@link #CANCELLED} and throws {@link ProcessCancelledException}; nothing happened.
 */
class ParkingHandler extends Handler {

    /** The result of a park that a cancellation withdrew. */
    static final Object CANCELLED = new Object() {
        @Override
        public String toString() {
            return "CANCELLED";
        }
    };

    /** How a waiter withdraws its registration when it must stop waiting (interrupt, pinned, cancelled). */
    interface Canceller {
        /** @return true if the operation was withdrawn and will never fire; false if it fired or will */
        boolean cancel(ParkingHandler h);
    }

    /**
     * Who waits: a {@link LoopProcess} (parks its continuation), a {@link VirtualProcess} (parks its
     * thread) or an ordinary {@link Thread}. One field for the three, and no process field apart:
     * the heap per parked process is a measured figure (W5).
     */
    private final Object owner;
    private Object result;
    private volatile boolean done;

    // What the park waits for. Written by the waiter before its park is published; read by cancel()
    // and diagnostics after it (see GoProcess for the fences).
    /**
     * The channel, the list of {@code alts} operations, or the awaited stage. A channel is also the
     * {@link Canceller} of a put or take, so this handler needs no field for it (32 bytes, not 40,
     * per parked process); an alts or an await uses {@link WithCanceller}.
     */
    Object on;
    /** Set by a non-cancellable block before the park is published: cancel() must leave it alone. */
    boolean shielded;

    /** @param process the current process, or {@code null} on an ordinary thread */
    ParkingHandler(GoProcess process) {
        this.owner = process != null ? process : Thread.currentThread();
    }

    /** Withdraws the operation; {@code null} when the park must not be cancelled (non-cancellable block). */
    Canceller canceller() {
        return !shielded && on instanceof Canceller c ? c : null;
    }

    /** Who waits: a loop or virtual process, or a thread. */
    Object owner() {
        return owner;
    }

    /** How the operation is withdrawn, also in a non-cancellable block (a pinned park must withdraw). */
    Canceller withdrawer() {
        return (Canceller) on;
    }

    /** Records how the operation is withdrawn: for this class, the channel waited on ({@link #on}). */
    void useCanceller(Canceller c) {
        if (c != on) {
            throw new IllegalStateException("a park on " + on + " withdrawn by another object needs a WithCanceller");
        }
    }

    /** The handler of a park whose withdrawal is not the object waited on: an alts, an await. */
    static final class WithCanceller extends ParkingHandler {
        private Canceller canceller;

        WithCanceller(GoProcess process) {
            super(process);
        }

        @Override
        Canceller canceller() {
            return shielded ? null : canceller;
        }

        @Override
        Canceller withdrawer() {
            return canceller;
        }

        @Override
        void useCanceller(Canceller c) {
            canceller = c;
        }
    }

    @Override
    void fire(Object r) {
        result = r;
        done = true;
        Object o = owner;
        if (o instanceof LoopProcess l) {
            l.resume();
        } else {
            LockSupport.unpark(o instanceof VirtualProcess v ? v.thread() : (Thread) o);
        }
    }

    /** Whether {@link #fire} has run. */
    boolean isDone() {
        return done;
    }

    /**
     * Waits until {@link #fire} and returns its result. A process that is cancelled (before or
     * while it waits, outside a non-cancellable block) first tries to withdraw; if that works it
     * throws {@link ProcessCancelledException} (nothing was taken or put). A blocked thread that is
     * interrupted likewise throws {@link CspInterruptedException}. When the withdrawal loses, the
     * operation happened: the waiter takes its result (and keeps its interrupt status).
     *
     * @param what the operation, as {@link #operation()} names it from {@code on} (after a park the
     *     message of a cancellation takes it from there, so that {@code what} need not stay live)
     * @param on the channel (a put or a take), the list of {@code alts} operations, or the awaited
     *     {@code CompletionStage}
     */
    Object await(Canceller canceller, String what, Object on) {
        JfrEvents.ProcessParked event = JfrEvents.parkBegin(); // null unless a JFR recording wants it
        this.on = on; // for diagnostics (a channel is also its own canceller)
        if (owner instanceof GoProcess p) {
            useCanceller(canceller);
            p.parkedAt = LaneWatchdog.coarseMillis(); // to within 250 ms: no clock read per park
            p.parking(this);
            ProcessRegistry.parking(p, what, on); // the dump lists it from its first park; the leak report's facts
            if (p instanceof LoopProcess l) {
                l.park(this); // checks the cancelled flag after its state CAS (the fence)
            } else {
                VarHandle.fullFence(); // publish the park before reading the cancelled flag (Dekker, see GoProcess)
                withdrawIfCancelled();
                awaitBlocking(canceller, what);
            }
        } else {
            awaitBlocking(canceller, what);
        }
        // After a loop-mode park only this handler and the event are read (what the park was comes
        // from on and putValue): the fewer values live across the yield, the smaller the frame that
        // every parked process keeps in its continuation (W5's heap) and that each park copies.
        if (event != null) {
            JfrEvents.parkEnd(event, owner, operation(), this.on); // named only if recorded
        }
        Object r = result;
        if (r == CANCELLED) {
            throw new ProcessCancelledException(operation() + " was cancelled while waiting; it did not happen");
        }
        return r;
    }

    /** The operation waited for, for diagnostics: {@code "put()"}, {@code "take()"}, {@code "alts()"} or {@code "await()"}. */
    String operation() {
        Object o = on;
        if (o instanceof java.util.List<?>) {
            return "alts()";
        }
        if (o instanceof java.util.concurrent.CompletionStage<?>) {
            return "await()";
        }
        return putValue != null ? "put()" : "take()";
    }

    private void awaitBlocking(Canceller canceller, String what) {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                if (!interrupted && canceller.cancel(this)) {
                    Thread.currentThread().interrupt();
                    throw new CspInterruptedException(what + " was interrupted while waiting; it did not happen");
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The park side of cancellation, after the park is published: if the owner is cancelled,
     * withdraw and complete with {@link #CANCELLED} without waking anyone.
     *
     * @return true if withdrawn here (the caller must not wait)
     */
    boolean withdrawIfCancelled() {
        Canceller c = canceller();
        if (c != null && ((GoProcess) owner).isCancelled() && c.cancel(this)) {
            result = CANCELLED;
            done = true;
            return true;
        }
        return false;
    }

    /**
     * The cancelling thread's side: withdraw the park if it is still pending and may be cancelled,
     * then wake the owner with {@link #CANCELLED}. A park that fired first keeps its result.
     */
    void cancelIfParked() {
        Canceller c = canceller();
        if (c != null && !done && c.cancel(this)) {
            fire(CANCELLED);
        }
    }
}
