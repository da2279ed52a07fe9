package io.csp4j.cluster;

import io.csp4j.AltResult;
import io.csp4j.Channel;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.DelegatingPort;
import io.csp4j.ReadPort;
import io.csp4j.WritePort;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The putting side of a channel exported on another node: what
 * {@link RemoteChannels#connectWriter} returns. Used like a local port, {@code alts} included.
 *
 * <p>Overview. The client side of a writer link (PROTOCOL.md). A put goes onto {@link #delegate()},
 * a local unbuffered channel; the link takes from it only while it holds credit from the owner, and
 * sends each value it takes at once (DATA, numbered). So a put <em>returns {@code true} when the link
 * took the value within the owner's credit</em>: the owner has room reserved for it and puts it into
 * its channel exactly once, unless the link fails first, in which case it is counted in
 * {@link #lost()} and reported. A fast putter is held back by a slow owner: at most {@code window}
 * values are in flight.
 *
 * <p>With a send buffer ({@link RemoteOptions#sendBuffer}, off by default) the delegate is a
 * buffered channel of that size: a put also returns {@code true} once its value is buffered, and the
 * link sends buffered values in order as credit comes; what the buffer holds when the link fails or
 * the owner's channel closes is counted lost, like a parked put.
 *
 * <p>After close: {@link #close()} ends only this link; parked puts are still sent, later puts return
 * {@code false}. When the owner's channel is closed or the link fails, later puts return
 * {@code false}; puts parked at that moment complete with {@code true} and are counted lost (never
 * silently dropped). Thread-safe. Null values are refused ({@link NullPointerException}).
 *
 * {@snippet :
 * RemoteWritePort<String> out = remote.connectWriter("results", ValueCodec.of(String.class)).toCompletableFuture().join();
 * go(() -> { out.put("done"); });
 * }
 *
 * @param <T> the type of the values; never {@code null}
 */
public final class RemoteWritePort<T> implements WritePort<T>, DelegatingPort {

    private final ClientLink<T> link;

    RemoteWritePort(ClientLink<T> link) {
        this.link = link;
    }

    /**
     * Puts a value, parking in a process and blocking elsewhere until the link takes it within the
     * owner's credit (or, with a {@link RemoteOptions#sendBuffer send buffer}, until it is buffered).
     *
     * @return {@code true} once the link took it (or buffered it); {@code false} if the port is
     *     closed, the owner's channel is closed, or the link failed
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the port's {@link ValueCodec} cannot carry the value
     * @throws IllegalStateException on a dispatcher thread outside a process
     */
    @Override
    public boolean put(T value) {
        link.codec.check(value, link.address);
        return !link.ended && link.outbox.put(value);
    }

    /**
     * Puts only if the link has credit now (or the send buffer has room); never waits.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the codec cannot carry the value
     */
    @Override
    public boolean offer(T value) {
        link.codec.check(value, link.address);
        return !link.ended && link.outbox.offer(value);
    }

    /**
     * Puts without waiting; the stage completes with what {@link #put} would return.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the codec cannot carry the value
     */
    @Override
    public CompletionStage<Boolean> putAsync(T value) {
        link.codec.check(value, link.address);
        return link.outbox.putAsync(value);
    }

    /**
     * Puts without waiting and calls {@code callback} on the dispatcher with the outcome.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the codec cannot carry the value
     */
    @Override
    public void putAsync(T value, Consumer<? super Boolean> callback) {
        link.codec.check(value, link.address);
        link.outbox.putAsync(value, callback);
    }

    /**
     * Ends this link (never the owner's channel): puts already parked are still sent, then the owner
     * hears END; later puts return {@code false}. Idempotent; never waits.
     */
    @Override
    public void close() {
        link.outbox.close();
    }

    /** Whether the port was closed, the owner's channel closed, or the link ended. */
    @Override
    public boolean isClosed() {
        return link.ended || link.outbox.isClosed();
    }

    /** The local channel {@code alts} registers on: a put onto it is this port's put. */
    @Override
    public Channel<?, ?> delegate() {
        return link.outbox;
    }

    /** The exported address. */
    public String address() {
        return link.address;
    }

    /** Values sent on the link so far. */
    public long sent() {
        return link.sentVolatile;
    }

    /**
     * Values sent whose acceptance by the owner's channel is not yet confirmed (in flight, or waiting
     * in the owner's link). At most the window ({@link RemoteOptions#window}), however slow the owner's
     * takers: the back-pressure bound. A snapshot for monitoring and tests; never waits, thread-safe.
     */
    public long inFlight() {
        return link.unconfirmedVolatile;
    }

    /** Values counted lost on this link (see the class comment). */
    public long lost() {
        link.awaitSettled();
        return link.lost;
    }

    /** Why the link failed, or {@code null}. */
    public Throwable failure() {
        link.awaitSettled();
        return link.failure;
    }

    @Override
    public String toString() {
        return "RemoteWritePort[" + link.address + "]";
    }

    /** The client side of a writer link (a {@link SendingLink}); confined to the node's context. */
    static final class ClientLink<T> extends SendingLink<T> {
        /** Where puts go: unbuffered, or the send buffer ({@link RemoteOptions#sendBuffer}). */
        final Chan<T> outbox;
        /** CANCEL arrived before the answer to CONNECT. */
        private boolean cancelledEarly;
        /** CANCEL arrived while a take was in flight: send its value, then END. */
        private boolean endAfterTake;
        /** No more values will be sent: later puts return false. */
        volatile boolean ended;

        ClientLink(RemoteChannels node, String id, String address, int window, int sendBuffer, ValueCodec<T> codec) {
            super(node, id, address, window, codec);
            this.outbox = sendBuffer == 0 ? Csp.chan() : Csp.chan(sendBuffer);
        }

        /** Connected: the first window is implied by CONNECT. */
        void opened() {
            state = OPEN;
            creditUpTo = window;
            if (cancelledEarly) {
                ownerCancelled();
                return;
            }
            pump();
        }

        @Override
        ReadPort<?> source() {
            return outbox;
        }

        @SuppressWarnings("unchecked")
        @Override
        void taken(AltResult r) {
            taking = false;
            T v = r.channel() == stop ? null : (T) r.value();
            if (endAfterTake) { // CANCEL came while this take was in flight
                if (v != null) {
                    sendValue(v);
                }
                finishEnd();
                return;
            }
            if (r.channel() == stop) {
                return; // withdrawn: the link ended
            }
            if (v == null) { // the port was closed and every parked put was sent
                if (state == OPEN) {
                    ended = true;
                    send(Frames.END, sent);
                    done();
                }
                return;
            }
            if (state != OPEN) {
                countLost(1, "a put completed as the link ended; its value was not sent", failure);
                return;
            }
            sendValue(v);
            sendReady();
            pump();
        }

        @Override
        void onCancel() { // the owner's channel closed, or it unexported the address
            if (state == CONNECTING) {
                cancelledEarly = true; // overtook the answer to CONNECT
            } else if (state == OPEN) {
                ownerCancelled();
            }
        }

        /**
         * CANCEL: later puts return false, parked ones are counted lost; a value the link already
         * took (its take in flight) is still sent, then END.
         */
        private void ownerCancelled() {
            state = ENDING;
            // Counted before a released put can read lost(); reported after (a handler may read it).
            long before = lost;
            settle(() -> addLost(stopTaking()));
            long parked = lost - before;
            if (parked > 0) {
                node.report(new RemoteLinkException(address, parked, "puts were parked when the owner's channel closed", null));
            }
            if (taking) {
                endAfterTake = true; // taken() sends what it took, then END
            } else {
                finishEnd();
            }
        }

        private void finishEnd() {
            endAfterTake = false;
            if (state == ENDING) {
                send(Frames.END, sent);
                done();
            }
        }

        /** No more values: later puts see {@code ended}; returns the parked puts taken (to count lost). */
        private long stopTaking() {
            ended = true;
            stop.close();
            outbox.close();
            long parked = 0;
            while (outbox.poll() != null) {
                parked++;
            }
            return parked;
        }

        @Override
        void onFailed(boolean graceful) {
            long unconfirmed = graceful ? 0 : unconfirmed();
            addLost(unconfirmed + stopTaking());
        }
    }
}
