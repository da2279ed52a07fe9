package io.csp4j.cluster;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A channel exported under an event-bus address: what {@link RemoteChannels#export} returns. Other
 * nodes connect readers and writers to it; each connection is a link with its own credit window.
 *
 * <p>Overview. The owner's side of every link (PROTOCOL.md). A reader link takes from the channel
 * only while the client has credit, with an {@code alts} against a private stop channel so that a
 * link that ends withdraws its pending take (nothing is taken for a link that is gone); a writer
 * link puts what arrives into the channel in order, one at a time, and grants credit for each value
 * the channel accepted.
 *
 * <p>{@link #close()} unexports: no new connects, live links end (readers get END after what was
 * already sent, writers get CANCEL), the channel stays open. {@link #closeChannel()} closes the
 * channel and tells writers at once; closing the channel directly is noticed within one heartbeat.
 * Thread-safe.
 *
 * {@snippet :
 * Chan<String> jobs = chan(100);
 * Export e = remote.export("jobs", jobs, ValueCodec.of(String.class)).toCompletableFuture().join();
 * }
 */
public final class Export {

    private final RemoteChannels node;
    private final String address;
    private final Chan<Object> channel;
    private final ValueCodec<Object> codec;
    /** The live links of this export; confined to the node's context. */
    private final Set<Link> links = new LinkedHashSet<>();
    MessageConsumer<Object> consumer;
    private volatile boolean closed;
    private volatile long lost;
    private volatile long refused;

    @SuppressWarnings("unchecked")
    Export(RemoteChannels node, String address, Chan<?> channel, ValueCodec<?> codec) {
        this.node = node;
        this.address = address;
        this.channel = (Chan<Object>) channel;
        this.codec = (ValueCodec<Object>) codec;
    }

    /** The address. */
    public String address() {
        return address;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Values this owner counted lost over all its links: sent to readers that failed before confirming
     * them, missing from a writer's sequence, undecodable, or refused by the closed channel.
     */
    public long lost() {
        return lost;
    }

    /** Values that arrived after the channel was closed and were refused by it (part of {@link #lost()}). */
    public long refused() {
        return refused;
    }

    /** Live links (readers and writers connected now). Approximate when read off the context. */
    public int links() {
        return links.size();
    }

    /**
     * Unexports: new connects fail, live links end (remote readers get what was already sent, then
     * {@code null}; remote puts return {@code false}). The channel is not closed. Idempotent; never
     * waits.
     */
    public void close() {
        closed = true;
        node.onContext(() -> {
            node.unexport(this);
            for (Link l : List.copyOf(links)) {
                if (l instanceof ReaderLink r) {
                    r.cancel();
                } else if (l instanceof WriterLink w) {
                    w.cancel();
                }
            }
        });
    }

    /** Closes the exported channel and tells remote writers at once (their puts return {@code false}). */
    public void closeChannel() {
        channel.close();
        node.onContext(this::channelClosed);
    }

    /** Called on each heartbeat and by closeChannel: writers learn that the channel is closed. */
    void channelClosed() {
        for (Link l : List.copyOf(links)) {
            if (l instanceof WriterLink w) {
                w.cancel();
            }
        }
    }

    boolean channelIsClosed() {
        return channel.isClosed();
    }

    /** CONNECT arrived on the export address. */
    void onConnect(Message<Object> msg) {
        String role = msg.headers().get(Frames.ROLE);
        String id = msg.headers().get(Frames.L);
        String peer = msg.headers().get(Frames.NODE);
        int window;
        try {
            window = Integer.parseInt(msg.headers().get(Frames.S));
        } catch (RuntimeException e) {
            window = -1;
        }
        if (closed || id == null || peer == null || window < 1 || !(Frames.TAKE.equals(role) || Frames.PUT.equals(role))) {
            msg.fail(400, closed ? "address '" + address + "' is no longer exported" : "malformed CONNECT");
            return;
        }
        Link link = Frames.TAKE.equals(role) ? new ReaderLink(id, window) : new WriterLink(id, window);
        link.peer = peer;
        link.state = Link.OPEN;
        links.add(link);
        node.adopt(link);
        msg.reply(null, new io.vertx.core.eventbus.DeliveryOptions().addHeader(Frames.NODE, node.nodeAddress()));
    }

    void forget(Link l) {
        links.remove(l);
    }

    private synchronized void addLost(long n) {
        lost += n;
    }

    /** Owner side of a reader link: takes from the channel within the client's credit and sends. */
    final class ReaderLink extends Link {
        private final Chan<Object> stop = Csp.chan();
        private long creditUpTo;
        private long sent;
        private boolean taking;
        private boolean cancelled;

        ReaderLink(String id, int window) {
            super(Export.this.node, id, Export.this.address, window);
        }

        @Override
        void onLost(long n) {
            Export.this.addLost(n);
        }

        @Override
        void forgotten() {
            Export.this.forget(this);
        }

        private void pump() {
            if (state != OPEN || taking || sent >= creditUpTo) {
                return;
            }
            taking = true;
            Csp.altsAsync(List.of(Csp.takeOp(stop), Csp.takeOp(channel)), true)
                    .thenAccept(r -> node.onContext(() -> taken(r)));
        }

        private void taken(AltResult r) {
            taking = false;
            if (r.channel() == stop) {
                if (cancelled && state == ENDING) {
                    send(Frames.END, sent);
                    done();
                }
                return;
            }
            Object v = r.value();
            if (state == FAILED || state == DONE) {
                if (v != null) {
                    countLost(1, "a value was taken for a link that had failed", failure);
                }
                return;
            }
            if (v == null) { // the channel is closed and drained
                send(Frames.END, sent);
                done();
                return;
            }
            Object body;
            try {
                body = codec.encode(v);
            } catch (RuntimeException e) {
                countLost(1, "a value could not be encoded (" + e.getMessage() + ")", e);
                pump();
                return;
            }
            sent++;
            send(Frames.DATA, sent, body, codec.codecName());
            // Values already in the channel go out at once while credit lasts.
            for (Object more; !cancelled && sent < creditUpTo && (more = channel.poll()) != null; ) {
                try {
                    body = codec.encode(more);
                } catch (RuntimeException e) {
                    countLost(1, "a value could not be encoded (" + e.getMessage() + ")", e);
                    continue;
                }
                sent++;
                send(Frames.DATA, sent, body, codec.codecName());
            }
            if (cancelled) {
                send(Frames.END, sent);
                done();
                return;
            }
            pump();
        }

        /** The client closed its port (CANCEL) or the owner unexported: END after what was taken. */
        void cancel() {
            if (state != OPEN) {
                return;
            }
            cancelled = true;
            state = ENDING;
            stop.close();
            if (!taking) {
                send(Frames.END, sent);
                done();
            }
        }

        @Override
        void onFrame(String frame, long s, Message<Object> msg) {
            switch (frame) {
                case Frames.CREDIT -> {
                    if (s > creditUpTo) {
                        creditUpTo = s;
                    }
                    pump();
                }
                case Frames.CANCEL -> cancel();
                default -> { } // the client sends no values
            }
        }

        @Override
        String goodbyeFrame() {
            return Frames.END;
        }

        @Override
        long lastSent() {
            return sent;
        }

        @Override
        void onFailed(boolean graceful) {
            stop.close();
            if (!graceful) {
                addLost(sent - Math.max(0, creditUpTo - window));
            }
        }
    }

    /** Owner side of a writer link: puts what arrives into the channel, in order, granting credit. */
    final class WriterLink extends Link {
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private long received;
        private long accepted;
        private long granted;
        private long endSeq = -1;
        private boolean putting;
        private boolean cancelled;

        WriterLink(String id, int window) {
            super(Export.this.node, id, Export.this.address, window);
            granted = window;
        }

        @Override
        void onLost(long n) {
            Export.this.addLost(n);
        }

        @Override
        void forgotten() {
            Export.this.forget(this);
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
                    Object v;
                    try {
                        v = codec.decode(msg.body());
                    } catch (RuntimeException e) {
                        accepted++;
                        countLost(1, "a value could not be decoded (" + e + ")", e);
                        grant();
                        return;
                    }
                    queue.add(v);
                    drain();
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
                        fail("the writer sent up to " + s + " but only " + received + " arrived", s - received, null);
                    }
                }
                default -> { }
            }
        }

        /** Puts the next received value into the channel; one at a time, in order. */
        private void drain() {
            if (putting || queue.isEmpty()) {
                return;
            }
            // Room in the channel's buffer or a waiting taker: accepted at once.
            while (!queue.isEmpty() && channel.offer(queue.peek())) {
                queue.poll();
                accepted++;
            }
            grant();
            maybeFinish();
            if (queue.isEmpty()) {
                return;
            }
            putting = true;
            Object v = queue.poll();
            channel.putAsync(v, ok -> node.onContext(() -> {
                putting = false;
                accepted++;
                if (!ok) {
                    refused++;
                    countLost(1, "a value arrived after the channel was closed and was refused", null);
                    cancel();
                }
                grant();
                drain();
                maybeFinish();
            }));
        }

        private void grant() {
            long upTo = accepted + window;
            if (state == OPEN && !cancelled && upTo - granted >= Math.max(1, window / 2)) {
                granted = upTo;
                send(Frames.CREDIT, granted);
            }
        }

        /** The channel closed or the address was unexported: the writer must stop (it answers END). */
        void cancel() {
            if (state == OPEN && !cancelled) {
                cancelled = true;
                state = ENDING;
                send(Frames.CANCEL, 0);
            }
        }

        private void maybeFinish() {
            if (endSeq >= 0 && received >= endSeq && queue.isEmpty() && !putting) {
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
            // What was received is still put into the channel (drain goes on); nothing else is in doubt here.
        }
    }
}
