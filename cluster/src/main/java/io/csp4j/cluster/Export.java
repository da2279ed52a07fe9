package io.csp4j.cluster;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.ReadPort;
import io.csp4j.WritePort;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A channel exported under an event-bus address: what {@link RemoteChannels#export} returns. Other
 * nodes connect readers and writers to it; each connection is a link with its own credit window.
 *
 * <p>Overview. The owner's side of every link (PROTOCOL.md). A reader link is the link's sender
 * ({@link SendingLink}): it takes from the channel only while the client has credit, with an
 * {@code alts} against a private stop channel so that a link that ends withdraws its pending take
 * (nothing is taken for a link that is gone). A writer link is the receiver ({@link ReceivingLink}):
 * it puts what arrives into the channel in order and grants credit for the values the channel
 * accepted. The credit and sequence bookkeeping lives in those two classes, shared with the remote
 * ports; this class adds what is the owner's: the channel, unexport, refusals after close.
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
    /** The live links of this export; changed on the node's context, read anywhere. */
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
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
     * Values in this export's links right now: sent to remote readers and not yet confirmed taken
     * there (in flight or prefetched), plus values received from remote writers and not yet accepted
     * by the channel. Back-pressure keeps it at most {@code window} per link, whatever the speed of
     * the nodes. A snapshot for monitoring and tests; never waits, thread-safe.
     */
    public long inFlight() {
        long n = 0;
        for (Link l : links) {
            if (l instanceof ReaderLink r) {
                n += r.unconfirmedVolatile;
            } else if (l instanceof WriterLink w) {
                n += w.queuedVolatile;
            }
        }
        return n;
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
    final class ReaderLink extends SendingLink<Object> {
        private boolean cancelled;

        ReaderLink(String id, int window) {
            super(Export.this.node, id, Export.this.address, window, Export.this.codec);
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
        ReadPort<?> source() {
            return channel;
        }

        @Override
        void taken(AltResult r) {
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
            sendValue(v);
            sendReady();
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
        void onCancel() {
            cancel();
        }

        @Override
        void onFailed(boolean graceful) {
            stop.close();
            if (!graceful) {
                addLost(unconfirmed());
            }
        }
    }

    /** Owner side of a writer link: puts what arrives into the channel, in order, granting credit. */
    final class WriterLink extends ReceivingLink<Object> {

        WriterLink(String id, int window) {
            super(Export.this.node, id, Export.this.address, window, Export.this.codec);
            initialCredit();
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
        WritePort<Object> target() {
            return channel;
        }

        @Override
        String senderName() {
            return "writer";
        }

        @Override
        void refused() {
            Export.this.refused++; // only the context writes it
            countLost(1, "a value arrived after the channel was closed and was refused", null);
            cancel();
        }

        @Override
        void finished() {
            done();
        }

        @Override
        void onFailed(boolean graceful) {
            // What was received is still put into the channel (handOn goes on); nothing else is in doubt here.
        }
    }
}
