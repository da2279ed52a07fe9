package io.csp4j.cluster;

import io.csp4j.Channel;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.DelegatingPort;
import io.csp4j.ReadPort;
import io.csp4j.WritePort;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The taking side of a channel exported on another node: what
 * {@link RemoteChannels#connectReader} returns. Used like a local port, {@code alts} included.
 *
 * <p>Overview. The client side of a reader link (PROTOCOL.md). Values arrive as DATA frames within
 * the credit this side granted, wait in a queue (at most {@code window}: the prefetch), and are
 * handed one at a time to {@link #delegate()}, a local unbuffered channel, by a put that completes
 * only when a taker (a {@code take}, a {@code poll}, an {@code alts}) took the value. Only then is
 * credit granted for it, so an {@code alts} that loses leaves nothing pending on the owner's side.
 *
 * <p>Semantics: {@code take} parks or blocks like a local take and returns {@code null} once the
 * exported channel is closed and drained, this port was closed and what was prefetched is taken, or
 * the link failed and what arrived is taken ({@link #failure()} says why). {@link #close()} ends
 * only this link, never the owner's channel. Thread-safe.
 *
 * {@snippet :
 * RemoteReadPort<String> jobs = remote.connectReader("jobs", ValueCodec.of(String.class)).toCompletableFuture().join();
 * go(() -> { for (String j; (j = jobs.take()) != null; ) work(j); });
 * }
 *
 * @param <T> the type of the values; never {@code null}
 */
public final class RemoteReadPort<T> implements ReadPort<T>, DelegatingPort {

    private final ClientLink<T> link;

    RemoteReadPort(ClientLink<T> link) {
        this.link = link;
    }

    /**
     * Takes a value, parking in a process and blocking elsewhere, like {@link ReadPort#take()}.
     *
     * @return the value, or {@code null} when the link has ended and everything received was taken
     * @throws IllegalStateException on a dispatcher thread outside a process
     */
    @Override
    public T take() {
        return link.proxy.take();
    }

    /** Takes a value that has already arrived, or returns {@code null}; never waits. */
    @Override
    public T poll() {
        return link.proxy.poll();
    }

    /** Takes without waiting; the stage completes with what {@link #take} would return. */
    @Override
    public CompletionStage<T> takeAsync() {
        return link.proxy.takeAsync();
    }

    /**
     * Takes without waiting and calls {@code callback} on the dispatcher.
     *
     * @throws NullPointerException if {@code callback} is null
     */
    @Override
    public void takeAsync(Consumer<? super T> callback) {
        link.proxy.takeAsync(callback);
    }

    /**
     * Ends this link (never the owner's channel): the owner stops sending; values already prefetched
     * stay takeable, then takes return {@code null}. Idempotent; never waits.
     */
    @Override
    public void close() {
        link.userClosed = true;
        link.node.onContext(link::cancel);
    }

    /** Whether {@link #close()} was called or the link has ended. */
    @Override
    public boolean isClosed() {
        return link.userClosed || link.proxy.isClosed();
    }

    /** The local channel {@code alts} registers on: takes from it are this port's takes. */
    @Override
    public Channel<?, ?> delegate() {
        return link.proxy;
    }

    /** The exported address. */
    public String address() {
        return link.address;
    }

    /**
     * Values prefetched: received from the owner and not yet taken here. At most the window
     * ({@link RemoteOptions#window}), however slow the takers. A snapshot for monitoring and tests;
     * never waits, thread-safe.
     */
    public long prefetched() {
        return link.queuedVolatile;
    }

    /** Values this side counted lost on the link (sequence gaps, undecodable values). */
    public long lost() {
        link.awaitSettled();
        return link.lost;
    }

    /** Why the link failed, or {@code null} if it has not (yet). */
    public Throwable failure() {
        link.awaitSettled();
        return link.failure;
    }

    @Override
    public String toString() {
        return "RemoteReadPort[" + link.address + "]";
    }

    /** The client side of a reader link (a {@link ReceivingLink}); confined to the node's context. */
    static final class ClientLink<T> extends ReceivingLink<T> {
        final Chan<T> proxy = Csp.chan();
        volatile boolean userClosed;

        ClientLink(RemoteChannels node, String id, String address, int window, ValueCodec<T> codec) {
            super(node, id, address, window, codec);
        }

        /** Connected: grant the first window (the owner sends nothing before it). */
        void opened() {
            state = OPEN;
            initialCredit();
            send(Frames.CREDIT, window);
            if (userClosed) {
                cancel();
            }
        }

        @Override
        WritePort<T> target() {
            return proxy;
        }

        @Override
        String senderName() {
            return "owner";
        }

        @Override
        boolean mayGrant() {
            return !userClosed;
        }

        /**
         * Every value taken is confirmed at once: if this node dies, the owner counts as lost only
         * what it sent that was not yet taken here. Batched grants would leave up to
         * {@code window / 2 - 1} values taken (and perhaps passed on) but counted lost by the owner
         * (NodeDeathTest).
         */
        @Override
        int grantBatch() {
            return 1;
        }

        @Override
        void refused() {
            // The proxy is closed only in finished(), when nothing is being handed on: never happens.
        }

        @Override
        void finished() {
            proxy.close();
            done();
        }

        @Override
        void onFailed(boolean graceful) {
            // What arrived is still handed on; then the proxy closes.
            maybeFinish();
        }
    }
}
