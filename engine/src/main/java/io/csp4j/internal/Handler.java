package io.csp4j.internal;


/**
 * core.async's handler protocol: the party waiting on one side of a channel operation.
 *
 * <p>A handler is one-shot: it is <em>active</em> until <em>committed</em>, and exactly one commit
 * ever succeeds. Committing happens under the lock of the channel that matches it; delivering the
 * result ({@link #fire}) happens after that lock is released, so no user code and no wake-up ever
 * runs under a channel lock.
 *
 * <pre>
 * kind              active state lives in            lock taken to commit
 * single operation  {@link #committed}, guarded by the lock of the one channel it waits on   none
 * alts operation    its {@link AltFlag}, shared by every operation of one alts       the flag (a ChannelLock)
 * </pre>
 *
 * <p>Two alts handlers are committed together under both flags, taken in {@link AltFlag#id} order
 * (no deadlock), and never when they share a flag: a put and a take of one {@code alts} on the same
 * channel never match each other (tested by {@code AltsTest.putAndTakeOnTheSameChannelNeverMatch}).
 *
 * <p>Differences from core.async: the handler carries the put value itself (no [handler val]
 * pair), and single-operation handlers have no lock at all.
 */
public abstract class Handler {

    /** "Did not complete at once": the marker returned by a channel operation that enqueued or gave up. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "NONE";
        }
    };

    /** For a put handler: the value offered. Written before the handler is published to a channel. */
    Object putValue;

    /** A single-operation handler's state: set once, under the lock of its channel. */
    boolean committed;

    /** Whether a channel may enqueue this handler (false for offer/poll and alts with a default). */
    boolean isBlockable() {
        return true;
    }

    /** The alts flag shared with sibling operations, or {@code null} for a single operation. */
    AltFlag flag() {
        return null;
    }

    /** Whether the handler can still be committed. The caller holds the locks of {@link #commitOne}. */
    boolean isActive() {
        return !committed;
    }

    /** Marks the handler as taken. The caller holds the locks and has checked {@link #isActive()}. */
    void commit() {
        committed = true;
    }

    /**
     * Delivers the result of the committed operation: the value taken ({@code null} when closed), or
     * {@link Boolean} for a put. Called once, outside any channel lock, on the thread that matched it.
     */
    abstract void fire(Object result);

    /** Commits {@code h} if it is still active, taking its flag's lock if it has one. */
    static boolean commitOne(Handler h) {
        AltFlag f = h.flag();
        if (f == null) {
            if (h.committed) {
                return false;
            }
            h.committed = true;
            return true;
        }
        return f.commit();
    }

    /**
     * Commits two handlers together if both are active and they do not belong to the same alts;
     * otherwise commits neither.
     */
    static boolean commitPair(Handler a, Handler b) {
        AltFlag fa = a.flag();
        AltFlag fb = b.flag();
        if (fa == null && fb == null) {
            if (a.committed || b.committed) {
                return false;
            }
            a.committed = true;
            b.committed = true;
            return true;
        }
        if (fa == fb) {
            return false; // one alts never matches itself
        }
        ChannelLock first = fa == null ? fb : fb == null ? fa : fa.id < fb.id ? fa : fb;
        ChannelLock second = fa == null || fb == null ? null : first == fa ? fb : fa;
        first.lock();
        if (second != null) {
            second.lock();
        }
        try {
            if (a.isActive() && b.isActive()) {
                a.commit();
                b.commit();
                return true;
            }
            return false;
        } finally {
            if (second != null) {
                second.unlock();
            }
            first.unlock();
        }
    }
}
