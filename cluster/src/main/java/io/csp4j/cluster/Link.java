package io.csp4j.cluster;

import io.vertx.core.eventbus.Message;

/**
 * One side of one link (see PROTOCOL.md): the state every side shares, failure, and the node's
 * goodbye. Each side is a sender ({@link SendingLink}: credit, numbering, what is in doubt) or a
 * receiver ({@link ReceivingLink}: duplicates, gaps, handing on, granting). Confined to the Vert.x context of its {@link RemoteChannels}: no field is
 * touched from another thread except the volatile ones read by the public ports.
 *
 * <pre>
 * CONNECTING ──ok──▶ OPEN ──▶ (ENDING) ──▶ DONE
 *                      └──── timeout, gap, node closed ──▶ FAILED
 * </pre>
 */
abstract class Link {

    /** Waiting for the owner's answer to CONNECT (client side only). */
    static final int CONNECTING = 0;
    /** Values and credit flow. */
    static final int OPEN = 1;
    /** This side asked the peer to stop (CANCEL sent) and waits for its END. */
    static final int ENDING = 2;
    /** Ended normally; forgotten. */
    static final int DONE = 3;
    /** Failed: values in doubt counted lost and reported; forgotten. */
    static final int FAILED = 4;

    final RemoteChannels node;
    final String id;
    final String address;
    final int window;
    /** The peer's node address (known once connected). */
    String peer;
    /** When a frame last arrived from the peer (System.nanoTime). */
    long lastHeard = System.nanoTime();
    volatile int state = CONNECTING;
    /** Values this side counts as lost on this link. */
    volatile long lost;
    /** Why the link failed, or null. */
    volatile Throwable failure;
    /**
     * The context's thread while it releases the local side of a failing or cancelled link and counts
     * what was in doubt, else null: a put or take released there may run on another thread at once,
     * and must see the failure and the count ({@link #awaitSettled()}).
     */
    private volatile Thread settling;

    Link(RemoteChannels node, String id, String address, int window) {
        this.node = node;
        this.id = id;
        this.address = address;
        this.window = window;
    }

    /** Handles one frame of this link (DATA, CREDIT, END, CANCEL, PING or GONE). */
    abstract void onFrame(String frame, long s, Message<Object> msg);

    /** The sequence number of the last DATA this side sent (0 if it never sends values). */
    abstract long lastSent();

    /**
     * This side's frame of the heartbeat, every {@code heartbeat} while the link is live: {@code PING}
     * with the last seq sent (a receiver that sees more than it received counts the tail lost). A
     * receiver repeats its credit or its {@code CANCEL} instead ({@link ReceivingLink#heartbeat()}).
     */
    void heartbeat() {
        send(Frames.PING, lastSent());
    }

    /**
     * Moves to FAILED: count what is in doubt, close the local side. Called once, on the context.
     * {@code graceful}: this node is closing and told the peer, which is alive, or the peer's node
     * closed and said what it received ({@code GONE}): values on the wire are not in doubt (one side
     * counts them exactly), only what is parked on this side.
     */
    abstract void onFailed(boolean graceful);

    /**
     * Whether this side still expects frames from the peer, so that its silence for {@code linkTimeout}
     * fails the link and a heartbeat is worth sending. False for a receiver once END arrived: the peer
     * has ended and forgotten the link, and what is left waits only for local takers.
     */
    boolean waitsForPeer() {
        return true;
    }

    boolean live() {
        int s = state;
        return s == OPEN || s == ENDING;
    }

    /** Fails the link, counting {@code gapLost} values missing from the sequence besides those in doubt. */
    final void fail(String why, long gapLost, Throwable cause) {
        end(why, gapLost, cause, false, true);
    }

    /**
     * The receiver forgot the link ({@code GONE}: its node closed, or it found a gap): the
     * {@code neverArrived} values sent after the last one it received are lost, exactly; nothing else
     * is in doubt (what it received it hands on). Reported only if something was lost.
     */
    final void peerGone(long neverArrived) {
        end("the receiver forgot the link (its RemoteChannels closed, or values went missing on the way)",
                neverArrived, null, true, false);
    }

    /**
     * Moves to FAILED once: counts {@code extraLost} and what {@link #onFailed} finds in doubt, releases
     * the local side, forgets the link, publishes the failure (all before a released put or take can
     * read them: {@link #awaitSettled()}), then reports it ({@code always}, or if something was lost).
     */
    private void end(String why, long extraLost, Throwable cause, boolean graceful, boolean always) {
        if (state == DONE || state == FAILED) {
            return;
        }
        state = FAILED;
        long before = lost;
        settle(() -> {
            addLost(extraLost);
            onFailed(graceful);
            node.forget(this);
            failure = new RemoteLinkException(address, lost - before, why, cause);
        });
        if (always || lost > before) {
            node.report((RemoteLinkException) failure); // set just above, on this thread
        }
    }

    /**
     * Waits until the context has published what a failure or a cancel counts ({@link #failure},
     * {@link #lost}): a few microseconds, while it releases the local side. The ports' {@code failure()}
     * and {@code lost()} call it, so that a put or take the failure released sees why and how much.
     * Returns at once on the context's own thread (a failure handler that reads them).
     */
    final void awaitSettled() {
        for (Thread t = settling; t != null && t != Thread.currentThread(); t = settling) {
            Thread.onSpinWait();
        }
    }

    /**
     * Runs {@code releaseAndCount} (which may complete puts and takes, and counts what is lost) as
     * what {@link #awaitSettled()} waits for.
     */
    final void settle(Runnable releaseAndCount) {
        settling = Thread.currentThread();
        try {
            releaseAndCount.run();
        } finally {
            settling = null;
        }
    }

    /**
     * Tells the peer that this node is closing: a sender sends {@code END} with
     * its last seq (the receiver counts what never arrived as a gap), a receiver {@code GONE} with the
     * last seq it received (the sender counts what it sent after that: those values reach a link that
     * no longer exists).
     */
    abstract void sayGoodbye();

    /**
     * The node is closing: tell the peer, count what is in doubt, forget the link. Reported only if
     * something was counted lost.
     */
    final void closeByNode() {
        if (state == DONE || state == FAILED || peer == null) {
            return;
        }
        sayGoodbye();
        end("RemoteChannels closed", 0, null, true, false);
    }

    /** Ends the link normally and forgets it. */
    final void done() {
        if (state != FAILED) {
            state = DONE;
        }
        node.forget(this);
    }

    /** Counts {@code n} values lost outside a failure (undecodable, refused...) and reports them. */
    final void countLost(long n, String why, Throwable cause) {
        addLost(n);
        node.report(new RemoteLinkException(address, n, why, cause));
    }

    /** Counts {@code n} more values lost on this link. */
    final void addLost(long n) {
        if (n > 0) {
            lost += n;
            onLost(n);
        }
    }

    /** Hook: the owner's links leave their export's set. */
    void forgotten() {}

    /** Hook: the owner's links add to their export's total. */
    void onLost(long n) {}

    final void send(String frame, long s, Object body, String codecName) {
        node.send(peer, frame, id, s, body, codecName);
    }

    final void send(String frame, long s) {
        node.send(peer, frame, id, s, null, null);
    }
}
