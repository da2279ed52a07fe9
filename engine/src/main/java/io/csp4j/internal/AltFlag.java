package io.csp4j.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The flag shared by the handlers of one {@code alts}: core.async's {@code alt-flag}. It is the
 * lock taken to commit any of them (a {@link ChannelLock}, like a channel's: one object per alts
 * call, not two), and {@link #active} turns false exactly once, when one operation (or the default,
 * or a cancellation) wins.
 */
final class AltFlag extends ChannelLock {

    private static final AtomicLong IDS = new AtomicLong();

    /** The lock order between flags (see {@link Handler#commitPair}). */
    final long id = IDS.incrementAndGet();

    /** True until one operation of the alts commits; guarded by this lock, read racily only as a hint. */
    volatile boolean active = true;

    /** Receives the winning operation's result. */
    final Handler waiter;

    /**
     * Which operation won (its index; the number of operations for an alts' own deadline): written
     * by the winner before it fires {@link #waiter}, read by the waiter after it woke.
     */
    int winner = -1;

    AltFlag(Handler waiter) {
        this.waiter = waiter;
    }

    /**
     * Commits the flag: an operation, the default or a withdrawing waiter wins the alts.
     *
     * @return true if this call won, false if the alts was already decided
     */
    boolean commit() {
        lock();
        try {
            if (!active) {
                return false;
            }
            active = false;
            return true;
        } finally {
            unlock();
        }
    }
}
