package io.csp4j.forkjoin;

import java.util.ArrayDeque;

/*
 * The first steps of processes placed on one lane that have not started yet, oldest first, each
 * with the time it was placed. The lane starts them in order (one START marker in its task queue
 * per entry, so they interleave with its other tasks in submission order); an idle lane may steal
 * the old ones (Lane.stealFrom). A process that has not started has no frames, so moving it to
 * another thread is safe (the SPI's Dispatcher.spawn; a started one never moves, ADR 0007).
 *
 * Guarded by its own monitor: the owner takes one entry per START marker, thieves take several at
 * once, and both are rare next to the lane's ordinary tasks. size is volatile so that a thief can
 * look without the lock.
 */
final class Unstarted {

    /** The most one steal moves (Go's run queue holds 256, so it steals at most 128). */
    static final int MAX_STEAL = 128;

    private Runnable[] steps = new Runnable[16];
    private long[] times = new long[16];
    /** Index of the oldest entry. */
    private int first;
    private volatile int size;

    int size() {
        return size;
    }

    /** When the oldest entry was placed (System.nanoTime); only meaningful while {@link #size()} > 0. */
    synchronized long oldestTime() {
        return times[first];
    }

    /** Adds a first step placed at {@code now} (System.nanoTime). */
    synchronized void push(Runnable step, long now) {
        int n = size;
        if (n == steps.length) {
            grow();
        }
        int i = (first + n) & (steps.length - 1);
        steps[i] = step;
        times[i] = now;
        size = n + 1;
    }

    /** The oldest entry, or null when thieves took them all. */
    synchronized Runnable poll() {
        int n = size;
        if (n == 0) {
            return null;
        }
        Runnable s = steps[first];
        steps[first] = null;
        first = (first + 1) & (steps.length - 1);
        size = n - 1;
        return s;
    }

    /**
     * If the oldest entry was placed before {@code olderThan}, removes half of the entries (rounded
     * up, at most {@link #MAX_STEAL}; all of a small group, {@link Lane#SMALL_GROUP}), oldest first,
     * into {@code stepsOut} (of length {@link #MAX_STEAL} at least), and returns how many; else 0.
     * As in Go's scheduler, the age of the oldest entry says the lane is behind; the batch is then
     * taken without looking at each entry's age, so a steal costs O(batch), never O(size).
     */
    synchronized int steal(long olderThan, Runnable[] stepsOut) {
        int n = size;
        if (n == 0 || times[first] - olderThan >= 0) {
            return 0;
        }
        int take = n <= Lane.SMALL_GROUP ? n : Math.min(MAX_STEAL, (n + 1) / 2); // a small group moves whole
        for (int k = 0; k < take; k++) {
            stepsOut[k] = steps[first];
            steps[first] = null;
            first = (first + 1) & (steps.length - 1);
        }
        size = n - take;
        return take;
    }

    /** Doubles the (full) ring, oldest entry first at index 0. */
    private void grow() {
        int n = steps.length;
        int head = n - first; // the entries from first to the end of the array, then those before it
        Runnable[] s = new Runnable[n * 2];
        long[] t = new long[n * 2];
        System.arraycopy(steps, first, s, 0, head);
        System.arraycopy(steps, 0, s, head, first);
        System.arraycopy(times, first, t, 0, head);
        System.arraycopy(times, 0, t, head, first);
        steps = s;
        times = t;
        first = 0;
    }
}
