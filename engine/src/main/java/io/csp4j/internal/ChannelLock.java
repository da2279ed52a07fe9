package io.csp4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock of a channel and of an alts' flag ({@link ManyToManyChannel} and {@link AltFlag} extend
 * it, so the lock is four fields of theirs, not two objects beside them): a mutex for the critical
 * sections of a put, a take, a close or an alts' commit, which last tens of nanoseconds and run no
 * user code but a buffer's or a transformation's.
 *
 * <p>Why not a {@code ReentrantLock}: every put and take takes the lock once, and on a lane that runs
 * both ends of a channel the lock is never contended, so its cost is its two atomic operations. A
 * {@code ReentrantLock} pays a compare-and-set to acquire and a volatile store (a full fence) to
 * release; this lock releases with a plain release store, which costs nothing on x86 (about 15 ns
 * against 8 per lock and unlock on the project's machine, W2's two per item).
 *
 * <p>How waiting works without that fence. A thread that finds the lock held spins a little
 * ({@link #SPINS} tries), then registers in {@link #waiting}, counts itself in {@link #waiters} (an
 * atomic add, a full fence) and parks until it gets the lock. A releaser stores 0 and then reads
 * {@code waiters}; if someone waits, it unparks the longest waiter. Without a fence between the store
 * and the read, a releaser can miss a waiter that registers at that very moment, while the waiter
 * still sees the lock held: the store-buffering race. So a waiter's park is timed
 * ({@link #BACKSTOP_NANOS}): the race costs that waiter up to 50 µs, never progress.
 *
 * <p>States: {@code lockState} 0 FREE, 1 HELD. Not reentrant, not fair (a newcomer may take the lock
 * before a waiter that was just unparked, which then parks again). {@link #lock()} is not
 * interruptible: an interrupt that comes while a thread waits is kept and set again once it holds the
 * lock. The owner is recorded only for {@link #isHeldByCurrentThread()} (plain writes by the holder).
 */
abstract class ChannelLock {

    /** Tries of a waiter before it parks: about a microsecond, several critical sections. */
    private static final int SPINS = 64;
    /** The longest a waiter parks before it looks again by itself (the missed wake-up above). */
    private static final long BACKSTOP_NANOS = 50_000;

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;
    private static final VarHandle WAITING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ChannelLock.class, "lockState", int.class);
            WAITERS = l.findVarHandle(ChannelLock.class, "waiters", int.class);
            WAITING = l.findVarHandle(ChannelLock.class, "waiting", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 FREE, 1 HELD: acquired with a compare-and-set, released with a release store. */
    private volatile int lockState;
    /** Threads registered in {@link #waiting} (parked or about to park). */
    private volatile int waiters;
    /** The threads waiting for the lock, longest first; made by the first thread that has to wait. */
    private volatile ConcurrentLinkedQueue<Thread> waiting;
    /** The holder, for {@link #isHeldByCurrentThread()}; only the holder writes it, plainly. */
    private Thread owner;

    /**
     * Takes the lock, waiting if another thread holds it.
     *
     * @throws IllegalStateException if the calling thread holds it already (not reentrant: a channel's
     *     own transformation or buffer that uses the channel), instead of waiting for itself
     */
    final void lock() {
        if (!STATE.compareAndSet(this, 0, 1)) {
            lockSlowly();
        }
        owner = Thread.currentThread();
    }

    /** Takes the lock if it is free; never waits. */
    final boolean tryLock() {
        if (STATE.compareAndSet(this, 0, 1)) {
            owner = Thread.currentThread();
            return true;
        }
        return false;
    }

    /** Releases the lock; the caller holds it. */
    final void unlock() {
        owner = null;
        STATE.setRelease(this, 0);
        if (waiters != 0) {
            ConcurrentLinkedQueue<Thread> q = waiting;
            Thread longest = q == null ? null : q.peek();
            if (longest != null) {
                LockSupport.unpark(longest);
            }
        }
    }

    /** Whether the calling thread holds the lock (for releasing it after a failure under it). */
    final boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    private void lockSlowly() {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("A channel's transformation or buffer used its own channel (or an alts"
                    + " its own flag) while the channel's lock was held: it would wait for itself forever. Do not put,"
                    + " take or close a channel from inside its own xform or Buffer; hand the work to a go block.");
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (lockState == 0 && STATE.compareAndSet(this, 0, 1)) {
                return;
            }
        }
        Thread me = Thread.currentThread();
        ConcurrentLinkedQueue<Thread> q = waitingQueue();
        q.add(me);
        WAITERS.getAndAdd(this, 1);
        boolean interrupted = false;
        try {
            while (!(lockState == 0 && STATE.compareAndSet(this, 0, 1))) {
                LockSupport.parkNanos(this, BACKSTOP_NANOS);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            WAITERS.getAndAdd(this, -1);
            q.remove(me);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private ConcurrentLinkedQueue<Thread> waitingQueue() {
        ConcurrentLinkedQueue<Thread> q = waiting;
        if (q == null) {
            ConcurrentLinkedQueue<Thread> fresh = new ConcurrentLinkedQueue<>();
            q = WAITING.compareAndSet(this, null, fresh) ? fresh : (ConcurrentLinkedQueue<Thread>) WAITING.getVolatile(this);
        }
        return q;
    }
}
