package io.csp4j.cluster;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ReadPort;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * The sending side of a link (PROTOCOL.md, "sender"): the owner's side of a reader link
 * ({@code Export.ReaderLink}) and the client's side of a writer link ({@code RemoteWritePort.ClientLink}).
 * The one home of the sender's credit and sequence bookkeeping: the cumulative credit {@code upTo},
 * the numbering of DATA frames, the single pending take from the local source, and what is in doubt
 * when the link fails.
 *
 * <p>Invariant: {@code sent <= creditUpTo}: a value is taken from the source only while the receiver
 * has granted room for it, so at most {@code window} values are unconfirmed ({@link #unconfirmed()}).
 * The receiver grants {@code handedOn + window}, so {@code creditUpTo - window} values are confirmed
 * handed on. One take is pending at a time: an {@code alts} over a private stop channel and the source,
 * so that a link that ends withdraws it by closing {@code stop} (nothing is taken for a link that is
 * gone). Confined to the node's context, except the volatile counters read by the public ports.
 *
 * @param <T> the type of the values
 */
abstract class SendingLink<T> extends Link {

    final ValueCodec<T> codec;
    /** Closed to withdraw the link's pending take from the source. */
    final Chan<Object> stop = Csp.chan();
    /** The receiver's cumulative credit: values with seq up to this may be sent. */
    long creditUpTo;
    /** The seq of the last DATA sent. */
    long sent;
    /** A take from the source is pending. */
    boolean taking;
    /** {@link #sent} for readers off the context. */
    volatile long sentVolatile;
    /** {@link #unconfirmed()} for readers off the context. */
    volatile long unconfirmedVolatile;

    SendingLink(RemoteChannels node, String id, String address, int window, ValueCodec<T> codec) {
        super(node, id, address, window);
        this.codec = codec;
    }

    /** Where the values to send come from: the exported channel, or the write port's outbox. */
    abstract ReadPort<?> source();

    /** The pending take completed (on the context): {@code r} is from {@link #stop} or the source. */
    abstract void taken(AltResult r);

    /** CANCEL arrived: the receiver wants no more values. */
    abstract void onCancel();

    /** Whether the receiver has granted room for one more value. */
    final boolean hasCredit() {
        return sent < creditUpTo;
    }

    /** Takes the next value from the source if credit allows; one take pending at a time. */
    final void pump() {
        if (state != OPEN || taking || !hasCredit()) {
            return;
        }
        taking = true;
        Csp.altsAsync(List.of(Csp.takeOp(stop), Csp.takeOp(source())), true)
                .thenAccept(r -> node.onContext(() -> taken(r)));
    }

    /**
     * Sends the values already waiting in the source at once while the link is open and credit lasts:
     * no round trip through the dispatcher per value.
     */
    @SuppressWarnings("unchecked")
    final void sendReady() {
        for (Object more; state == OPEN && hasCredit() && (more = source().poll()) != null; ) {
            sendValue((T) more);
        }
    }

    /** Encodes and sends one value as the next DATA; a value that cannot be encoded is counted lost. */
    final void sendValue(T v) {
        Object body;
        try {
            body = codec.encode(v);
        } catch (RuntimeException e) {
            countLost(1, "a value could not be encoded (" + e.getMessage() + ")", e);
            return;
        }
        sent++;
        sentVolatile = sent;
        unconfirmedVolatile = unconfirmed();
        send(Frames.DATA, sent, body, codec.codecName());
    }

    /** Values sent that the receiver has not confirmed handing on: at most {@code window}. */
    final long unconfirmed() {
        return sent - Math.max(0, creditUpTo - window);
    }

    @Override
    final void onFrame(String frame, long s, Message<Object> msg) {
        switch (frame) {
            case Frames.CREDIT, Frames.PING -> { // a receiver's PING repeats its credit (ReceivingLink.heartbeat)
                if (s > creditUpTo) { // cumulative: a lost or repeated grant cannot over-grant
                    creditUpTo = s;
                    unconfirmedVolatile = unconfirmed();
                }
                pump();
            }
            case Frames.CANCEL -> onCancel(); // idempotent: a repeat finds the link no longer OPEN
            case Frames.GONE -> peerGone(Math.max(0, sent - s)); // the values after s reach no link
            default -> { } // DATA, END: the receiver sends no values
        }
    }

    @Override
    final void sayGoodbye() {
        send(Frames.END, sent);
    }

    @Override
    final long lastSent() {
        return sent;
    }
}
