package io.csp4j.internal;

import io.csp4j.CspInterruptedException;
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
 */
final class ParkingHandler extends Handler {

    /** How a waiter withdraws its registration when it must stop waiting (interrupt, pinned). */
    interface Canceller {
        /** @return true if the operation was withdrawn and will never fire; false if it fired or will */
        boolean cancel(ParkingHandler h);
    }

    private final LoopProcess process;
    private final Thread thread;
    private Object result;
    private volatile boolean done;

    ParkingHandler(LoopProcess process) {
        this.process = process;
        this.thread = process == null ? Thread.currentThread() : null;
    }

    @Override
    void fire(Object r) {
        result = r;
        done = true;
        if (process != null) {
            process.resume();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /** Whether {@link #fire} has run. */
    boolean isDone() {
        return done;
    }

    /**
     * Waits until {@link #fire} and returns its result. A blocked thread that is interrupted first
     * tries to withdraw; if that works it throws {@link CspInterruptedException} (nothing was taken or
     * put), otherwise it waits for the imminent result and keeps its interrupt status.
     */
    Object await(Canceller canceller, String what) {
        JfrEvents.ProcessParked event = JfrEvents.parkBegin(); // null unless a JFR recording wants it
        Object r = awaitFire(canceller, what);
        if (event != null) {
            JfrEvents.parkEnd(event, Processes.currentLabel(), what, null);
        }
        return r;
    }

    private Object awaitFire(Canceller canceller, String what) {
        if (process != null) {
            process.park(this, canceller, what);
            return result;
        }
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
        return result;
    }
}
