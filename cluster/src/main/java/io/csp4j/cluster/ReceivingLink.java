package io.csp4j.cluster;

import io.csp4j.WritePort;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;

/**
 * The receiving side of a link (PROTOCOL.md, "receiver"): the client's side of a reader link
 * ({@code RemoteReadPort.ClientLink}) and the owner's side of a writer link ({@code Export.WriterLink}).
 * The one home of the receiver's sequence and credit bookkeeping: duplicates dropped, gaps counted,
 * values handed on in order to a local target, credit granted for each value handed on.
 *
 * <p>Handing on. A value that arrives waits in {@code queue} (at most {@code window}: the sender
 * sends only within credit) and is handed to {@link #target()}: at once while the target takes it
 * ({@code offer}: a waiting taker, room in a buffer), else by one {@code putAsync} at a time, which
 * completes when a taker took it. Only then is it counted {@code handedOn}, and credit is granted
 * cumulatively as {@code handedOn + window}, in batches of {@link #grantBatch()} (PROTOCOL.md,
 * {@code CREDIT}). So the values this side holds, {@code received - handedOn}, never exceed
 * {@code window} ({@link #queued()}).
 *
 * <p>Ending. END carries the last seq; once every value up to it is handed on (or the link failed
 * and what arrived is handed on), {@link #finished()} runs. Confined to the node's context, except
 * the volatile counter read by the public ports.
 *
 * @param <T> the type of the values
 */
abstract class ReceivingLink<T> extends Link {

    final ValueCodec<T> codec;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    /** The seq of the last DATA received. */
    private long received;
    /** Values handed on to the target (or consumed: undecodable). */
    private long handedOn;
    /** The credit granted so far (cumulative upTo). */
    private long granted;
    /** The last seq, from END; -1 before END. */
    private long endSeq = -1;
    /** A putAsync onto the target is pending. */
    private boolean handing;
    /** CANCEL was sent: no more credit. */
    private boolean cancelled;
    /** {@link #queued()} for readers off the context. */
    volatile long queuedVolatile;

    ReceivingLink(RemoteChannels node, String id, String address, int window, ValueCodec<T> codec) {
        super(node, id, address, window);
        this.codec = codec;
    }

    /** Where values are handed on: the read port's proxy, or the exported channel. */
    abstract WritePort<T> target();

    /** The sender's role, for messages: "owner" or "writer". */
    abstract String senderName();

    /** The target refused a value (it is closed): count it, stop the sender. */
    abstract void refused();

    /** Every value up to END (or up to a failure) was handed on. */
    abstract void finished();

    /**
     * How many values handed on make a grant worth a CREDIT frame: {@code max(1, window / 2)} by
     * default (PROTOCOL.md, {@code CREDIT}).
     */
    int grantBatch() {
        return Math.max(1, window / 2);
    }

    /** Whether credit may be granted now, besides the link being open (the port may veto it). */
    boolean mayGrant() {
        return true;
    }

    /** The initial credit, implied by CONNECT (a reader's client also sends it as CREDIT). */
    final void initialCredit() {
        granted = window;
    }

    @Override
    final boolean waitsForPeer() {
        return endSeq < 0;
    }

    /** Values received and not yet handed on: at most {@code window}. */
    final long queued() {
        return received - handedOn;
    }

    @Override
    final void onFrame(String frame, long s, Message<Object> msg) {
        switch (frame) {
            case Frames.DATA -> onData(s, msg);
            case Frames.END -> {
                endSeq = s;
                if (s > received) {
                    fail("values " + (received + 1) + ".." + s + " never arrived before END", s - received, null);
                    return;
                }
                maybeFinish();
            }
            case Frames.PING -> {
                if (s > received) { // a node's frames arrive in order: a tail was lost
                    failOnGap("the " + senderName() + " sent up to " + s + " but only " + received + " arrived");
                }
            }
            default -> { } // CREDIT and CANCEL are not for this side
        }
    }

    private void onData(long s, Message<Object> msg) {
        if (s <= received) {
            return; // a duplicate: dropped
        }
        if (s > received + 1) {
            failOnGap("values " + (received + 1) + ".." + (s - 1) + " never arrived");
            return;
        }
        received = s;
        T v;
        try {
            v = codec.decode(msg.body());
        } catch (RuntimeException e) {
            handedOn++; // consumed: credit for it as for a value handed on
            countLost(1, "a value could not be decoded (" + e + ")", e);
            grant();
            return;
        }
        queue.add(v);
        handOn();
    }

    /**
     * A gap while the sender is alive: this side fails and tells the sender ({@code GONE} with the last
     * seq received), which counts every value it sent after that, exactly: the missing ones, the one
     * that showed the gap, and those still on their way to a link that is gone. This side counts none
     * of them (the sender's count is the whole loss; counting here too would count them twice), and
     * the sender stops at once instead of at {@code linkTimeout}. (A gap found by END is counted here:
     * the sender has ended and forgotten the link.)
     */
    private void failOnGap(String why) {
        send(Frames.GONE, received);
        fail(why + "; the " + senderName() + " counts every value it sent after " + received + " as lost", 0, null);
    }

    /** Hands the queued values on, in order: at once while the target takes them, else one put at a time. */
    final void handOn() {
        if (handing || queue.isEmpty()) {
            publish();
            return;
        }
        WritePort<T> target = target();
        while (!queue.isEmpty() && target.offer(queue.peek())) {
            queue.poll();
            handedOn++;
        }
        grant();
        maybeFinish();
        if (queue.isEmpty()) {
            publish();
            return;
        }
        handing = true;
        publish();
        target.putAsync(queue.poll(), ok -> node.onContext(() -> {
            handing = false;
            handedOn++;
            if (!ok) {
                refused();
            }
            grant();
            handOn();
            maybeFinish();
        }));
    }

    /** Grants credit for the values handed on: cumulative {@code handedOn + window}, in batches. */
    final void grant() {
        long upTo = handedOn + window;
        if (state == OPEN && !cancelled && mayGrant() && upTo - granted >= grantBatch()) {
            granted = upTo;
            send(Frames.CREDIT, granted);
        }
    }

    /**
     * The heartbeat of a receiver repeats what a lost control frame would otherwise leave undone, so
     * that no loss of one frame can hold a live link forever: {@code PING} carries the cumulative
     * credit granted so far (the sender keeps the maximum, as for {@code CREDIT}: a lost grant is
     * repaired within one heartbeat, a repeated one changes nothing); once {@code CANCEL} was sent,
     * {@code CANCEL} again until the sender's {@code END} arrives (the sender ignores a repeat).
     */
    @Override
    final void heartbeat() {
        if (cancelled) {
            send(Frames.CANCEL, 0);
        } else {
            send(Frames.PING, granted);
        }
    }

    /** Asks the sender to stop (it answers END); what was received is still handed on. */
    final void cancel() {
        if (state == OPEN && !cancelled) {
            cancelled = true;
            state = ENDING;
            send(Frames.CANCEL, 0);
        }
    }

    /** Finishes once the sequence has ended (END, or the link failed) and everything received is handed on. */
    final void maybeFinish() {
        boolean ended = state == FAILED || (endSeq >= 0 && received >= endSeq);
        if (ended && queue.isEmpty() && !handing) {
            finished();
        }
    }

    private void publish() {
        queuedVolatile = queued();
    }

    @Override
    final void sayGoodbye() {
        send(Frames.GONE, received);
    }

    @Override
    final long lastSent() {
        return 0;
    }
}
