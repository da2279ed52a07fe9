package io.csp4j.cluster;

import io.csp4j.Channel;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.DelegatingPort;
import io.csp4j.ReadPort;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
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

    /** Values this side counted lost on the link (sequence gaps, undecodable values). */
    public long lost() {
        return link.lost;
    }

    /** Why the link failed, or {@code null} if it has not (yet). */
    public Throwable failure() {
        return link.failure;
    }

    @Override
    public String toString() {
        return "RemoteReadPort[" + link.address + "]";
    }

    /** The client side of a reader link; confined to the node's context. */
    static final class ClientLink<T> extends Link {
        final ValueCodec<T> codec;
        final Chan<T> proxy = Csp.chan();
        private final ArrayDeque<T> queue = new ArrayDeque<>();
        private boolean delivering;
        private long received;
        private long delivered;
        private long granted;
        private long endSeq = -1;
        private boolean cancelled;
        volatile boolean userClosed;

        ClientLink(RemoteChannels node, String id, String address, int window, ValueCodec<T> codec) {
            super(node, id, address, window);
            this.codec = codec;
        }

        /** Connected: grant the first window (the owner sends nothing before it). */
        void opened() {
            state = OPEN;
            granted = window;
            send(Frames.CREDIT, granted);
            if (userClosed) {
                cancel();
            }
        }

        @Override
        void onFrame(String frame, long s, Message<Object> msg) {
            switch (frame) {
                case Frames.DATA -> {
                    if (s <= received) {
                        return; // a duplicate: dropped
                    }
                    if (s > received + 1) {
                        fail("values " + (received + 1) + ".." + (s - 1) + " never arrived", s - received - 1, null);
                        return;
                    }
                    received = s;
                    T v;
                    try {
                        v = codec.decode(msg.body());
                    } catch (RuntimeException e) {
                        delivered++; // consumed: credit for it as for a delivered value
                        countLost(1, "a value could not be decoded (" + e + ")", e);
                        grant();
                        return;
                    }
                    queue.add(v);
                    deliver();
                }
                case Frames.END -> {
                    endSeq = s;
                    if (s > received) {
                        fail("values " + (received + 1) + ".." + s + " never arrived before END", s - received, null);
                        return;
                    }
                    maybeFinish();
                }
                case Frames.PING -> {
                    if (s > received) {
                        fail("the owner sent up to " + s + " but only " + received + " arrived", s - received, null);
                    }
                }
                default -> { } // CREDIT and CANCEL are not for this side
            }
        }

        /** Hands the next queued value to a local taker; one at a time. */
        private void deliver() {
            if (delivering || queue.isEmpty()) {
                return;
            }
            // A taker already waiting gets the value at once (offer); otherwise one put waits for one.
            while (!queue.isEmpty() && proxy.offer(queue.peek())) {
                queue.poll();
                delivered++;
            }
            grant();
            maybeFinish();
            if (queue.isEmpty()) {
                return;
            }
            delivering = true;
            T v = queue.poll();
            proxy.putAsync(v, ok -> node.onContext(() -> {
                delivering = false;
                delivered++;
                grant();
                deliver();
                maybeFinish();
            }));
        }

        /** Grants credit for every value handed on (cumulative: delivered + window). */
        private void grant() {
            if (state == OPEN && !cancelled && !userClosed && delivered + window > granted) {
                granted = delivered + window;
                send(Frames.CREDIT, granted);
            }
        }

        /** The port was closed: ask the owner to stop; prefetched values stay takeable. */
        void cancel() {
            if (state == OPEN && !cancelled) {
                cancelled = true;
                state = ENDING;
                send(Frames.CANCEL, 0);
            }
        }

        private void maybeFinish() {
            boolean ended = state == FAILED || (endSeq >= 0 && received >= endSeq);
            if (ended && queue.isEmpty() && !delivering) {
                proxy.close();
                done();
            }
        }

        @Override
        String goodbyeFrame() {
            return Frames.CANCEL;
        }

        @Override
        long lastSent() {
            return 0;
        }

        @Override
        void onFailed(boolean graceful) {
            // What arrived is still delivered; then the proxy closes (maybeFinish after each delivery).
            if (queue.isEmpty() && !delivering) {
                proxy.close();
            }
        }
    }
}
