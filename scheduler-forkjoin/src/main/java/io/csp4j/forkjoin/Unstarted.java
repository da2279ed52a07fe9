package io.csp4j.forkjoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The first steps of processes placed on one lane that have not started yet, oldest first. The lane
 * starts them in order (one START marker in its task queue per entry, so they interleave with its
 * other tasks in submission order); an idle lane may steal the old ones (Lane.stealInto). A process
 * that has not started has no frames, so moving it to another thread is safe (the SPI's
 * Dispatcher.spawn; a started one never moves, ADR 0007).
 *
 * Each process travels as a Start, which is claimed exactly once, by a CAS: by the lane that starts
 * it or by a thief that moves its step to a Start of its own. A process spawned from another thread
 * waits in the lane's inbox as a Start node (Inbox.drainTo moves it here when the lane drains), so
 * that the spawner touches one queue, not two: a spawn from main cost 0.9 us against 0.25 us for
 * a plain task when this queue took every spawn (the lane polling it as main pushed moved its lines
 * between the cores at every process; ADR 0035). A thief may also claim a Start still in the inbox,
 * so an entry here may have been claimed already: poll() and steal() skip those.
 *
 * The ring is guarded by its own monitor: the owner takes one entry per START marker and pushes
 * what it drains and spawns, thieves take several at once (rare next to the lane's ordinary tasks).
 * size is volatile so that a thief can look without the lock.
 */
final class Unstarted {

    /** The most one steal moves (Go's run queue holds 256, so it steals at most 128). */
    static final int MAX_STEAL = 128;

    /** The marker of one unstarted process in a lane's task queue: start the oldest one left. */
    static final Runnable START = () -> {};

    /**
     * The first step of a process that has not started, placed on a lane at {@link #placedAt}. As an
     * inbox node it carries no task: {@link Inbox#drainTo} knows it by its type.
     */
    static final class Start extends Inbox.Node {
        private static final VarHandle CLAIMED;

        static {
            try {
                CLAIMED = MethodHandles.lookup().findVarHandle(Start.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** When it was placed (System.nanoTime). */
        final long placedAt;
        /** Read only by the one that claimed it, then dropped. */
        private Runnable step;
        private volatile boolean claimed;

        Start(Runnable step, long placedAt) {
            super(null);
            this.step = step;
            this.placedAt = placedAt;
        }

        boolean isClaimed() {
            return claimed;
        }

        /** The step, to the one caller that claims it first; null to every other. */
        Runnable claim() {
            if (claimed || !CLAIMED.compareAndSet(this, false, true)) {
                return null;
            }
            Runnable s = step;
            step = null;
            return s;
        }
    }

    private Start[] starts = new Start[16];
    /** Index of the oldest entry. */
    private int first;
    private volatile int size;

    /** Entries, including those claimed from the inbox after they came here (rare). */
    int size() {
        return size;
    }

    /** When the oldest entry was placed (System.nanoTime); only meaningful while {@link #size()} > 0. */
    synchronized long oldestTime() {
        Start s = starts[first];
        return s != null ? s.placedAt : System.nanoTime();
    }

    /** Adds {@code s} (not claimed) as the newest entry. */
    synchronized void push(Start s) {
        int n = size;
        if (n == starts.length) {
            grow();
        }
        starts[(first + n) & (starts.length - 1)] = s;
        size = n + 1;
    }

    /** Claims the oldest entry not claimed yet and returns its step, or null when none is left. */
    synchronized Runnable poll() {
        for (int n = size; n > 0; n--) {
            Start s = starts[first];
            starts[first] = null;
            first = (first + 1) & (starts.length - 1);
            size = n - 1;
            Runnable step = s.claim();
            if (step != null) {
                return step;
            }
        }
        return null;
    }

    /**
     * If the oldest entry was placed before {@code olderThan}, claims {@code take} entries (at most
     * {@link #MAX_STEAL}; fewer if fewer are left), oldest first, into {@code stepsOut}, and returns
     * how many; else 0. As in Go's scheduler, the age of the oldest entry
     * says the lane is behind; the batch is then taken without looking at each entry's age, so a
     * steal costs O(batch), never O(size).
     */
    synchronized int steal(long olderThan, int take, Runnable[] stepsOut) {
        int n = size;
        if (n == 0 || starts[first].placedAt - olderThan >= 0) {
            return 0;
        }
        int k = 0;
        while (n > 0 && k < take) {
            Start s = starts[first];
            starts[first] = null;
            first = (first + 1) & (starts.length - 1);
            n--;
            Runnable step = s.claim();
            if (step != null) {
                stepsOut[k++] = step;
            }
        }
        size = n;
        return k;
    }

    /** Doubles the (full) ring, oldest entry first at index 0. */
    private void grow() {
        int n = starts.length;
        int head = n - first; // the entries from first to the end of the array, then those before it
        Start[] s = new Start[n * 2];
        System.arraycopy(starts, first, s, 0, head);
        System.arraycopy(starts, 0, s, head, first);
        starts = s;
        first = 0;
    }
}
