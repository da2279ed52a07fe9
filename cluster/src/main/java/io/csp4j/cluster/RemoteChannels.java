package io.csp4j.cluster;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * csp4j channels across JVMs: this node's end of the link protocol over a clustered Vert.x event bus.
 * Export a channel under an address on one node; connect readers and writers to it from any node.
 *
 * <p>Overview. One {@code RemoteChannels} per clustered {@link Vertx} (or several, each with its own
 * links). It registers one consumer, its node address {@code csp4j.node.<uuid>}, that receives every
 * frame of every link of this instance and routes it by link id; each export registers a consumer on
 * its address for CONNECT only. All link state lives on one Vert.x context (an event-loop thread), so
 * nothing is locked: the engine's callbacks hop onto it. A periodic task sends each live link's
 * heartbeat and fails the links whose peer has been silent for {@link RemoteOptions#linkTimeout}.
 * The protocol (frames, states, what a remote {@code put}'s {@code true} means, failure) is in the
 * module's {@code PROTOCOL.md}; decisions in ADR 0014.
 *
 * <p>Processes keep running on the csp4j dispatcher that is bound (ForkJoin, Vert.x or Netty): the
 * event bus is the transport, not the scheduler. Every method is thread-safe and never blocks; the
 * returned stages complete on the Vert.x context.
 *
 * {@snippet :
 * Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager()).buildClustered()
 *         .await();
 * RemoteChannels remote = RemoteChannels.create(vertx, new RemoteOptions()).toCompletableFuture().join();
 * // on the owner:
 * Chan<String> jobs = chan(100);
 * remote.export("jobs", jobs, ValueCodec.of(String.class));
 * // on any node:
 * RemoteWritePort<String> out = remote.connectWriter("jobs", ValueCodec.of(String.class)).toCompletableFuture().join();
 * out.put("job-1");
 * }
 */
public final class RemoteChannels {

    private final Vertx vertx;
    private final EventBus bus;
    private final Context context;
    private final RemoteOptions options;
    private final String nodeAddress = "csp4j.node." + UUID.randomUUID();
    /** Live links by id; confined to the context. */
    private final Map<String, Link> links = new HashMap<>();
    /** Exports by address; confined to the context. */
    private final Map<String, Export> exports = new HashMap<>();
    private MessageConsumer<Object> consumer;
    private long timer = -1;
    /** When the heartbeat last ran (System.nanoTime), to discount this node's own stalls. */
    private long lastTick;
    private volatile boolean closed;

    private RemoteChannels(Vertx vertx, RemoteOptions options) {
        this.vertx = vertx;
        this.bus = vertx.eventBus();
        this.context = vertx.getOrCreateContext();
        this.options = options.copy();
    }

    /**
     * Starts this node's end of the protocol on a clustered Vert.x: registers its node address and
     * starts the heartbeat. Never blocks.
     *
     * @param vertx a clustered Vert.x ({@code Vertx.builder().withClusterManager(...).buildClustered()})
     * @param options window, heartbeat, timeouts, failure handler; copied
     * @return a stage completing once the node address is registered in the cluster
     * @throws IllegalArgumentException if {@code vertx} is not clustered
     * @throws NullPointerException if an argument is null
     */
    public static CompletionStage<RemoteChannels> create(Vertx vertx, RemoteOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        if (!vertx.isClustered()) {
            throw new IllegalArgumentException("RemoteChannels needs a clustered Vert.x: build it with "
                    + "Vertx.builder().withClusterManager(new HazelcastClusterManager()).buildClustered() "
                    + "(io.vertx:vertx-hazelcast, or another cluster manager)");
        }
        Csp.dispatcher(); // find and start the dispatcher here, not later on the event loop
        RemoteChannels rc = new RemoteChannels(vertx, options);
        CompletableFuture<RemoteChannels> f = new CompletableFuture<>();
        rc.onContext(() -> {
            rc.consumer = rc.bus.consumer(rc.nodeAddress, rc::onFrame);
            rc.consumer.completion().onComplete(ar -> {
                if (ar.failed()) {
                    f.completeExceptionally(ar.cause());
                    return;
                }
                rc.timer = rc.vertx.setPeriodic(options.heartbeat().toMillis(), id -> rc.tick());
                f.complete(rc);
            });
        });
        return f;
    }

    /**
     * Exports {@code channel} under {@code address}: nodes of the cluster may connect readers and
     * writers to it. The channel stays this node's; closing it reaches every remote port (readers
     * drain, then get {@code null}; puts return {@code false}).
     *
     * @param address the event-bus address; not {@code null}
     * @param channel the channel; not {@code null}
     * @param codec how its values travel
     * @return a stage completing with the {@link Export} once the address is registered in the
     *     cluster; failing with {@link IllegalStateException} if this instance already exports it
     * @throws NullPointerException if an argument is null
     */
    public <T> CompletionStage<Export> export(String address, Chan<T> channel, ValueCodec<T> codec) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(codec, "codec");
        CompletableFuture<Export> f = new CompletableFuture<>();
        onContext(() -> {
            if (closed) {
                f.completeExceptionally(closedError(address));
                return;
            }
            if (exports.containsKey(address)) {
                f.completeExceptionally(new IllegalStateException("address '" + address
                        + "' is already exported by this node: close the first Export, or use another address"));
                return;
            }
            codec.register(bus);
            Export e = new Export(this, address, channel, codec);
            exports.put(address, e);
            e.consumer = bus.consumer(address, e::onConnect);
            e.consumer.completion().onComplete(ar -> {
                if (ar.succeeded()) {
                    f.complete(e);
                } else {
                    exports.remove(address);
                    f.completeExceptionally(ar.cause());
                }
            });
        });
        return f;
    }

    /**
     * Connects a reader to the channel exported under {@code address}: a port that takes its values.
     * At most {@link RemoteOptions#window} values are prefetched.
     *
     * @return a stage completing with the port; failing with {@link RemoteChannelException} if nobody
     *     exported the address (at once: it does not wait) or the owner did not answer in time
     * @throws NullPointerException if an argument is null
     */
    public <T> CompletionStage<RemoteReadPort<T>> connectReader(String address, ValueCodec<T> codec) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(codec, "codec");
        RemoteReadPort.ClientLink<T> link = new RemoteReadPort.ClientLink<>(this, newId(), address, options.window(), codec);
        return connect(link, Frames.TAKE, codec, () -> {
            link.opened();
            return new RemoteReadPort<>(link);
        });
    }

    /**
     * Connects a writer to the channel exported under {@code address}: a port that puts into it, with
     * at most {@link RemoteOptions#window} values in flight (and {@link RemoteOptions#sendBuffer}
     * buffered in front of the link, if set).
     *
     * @return a stage completing with the port; failing with {@link RemoteChannelException} if nobody
     *     exported the address (at once) or the owner did not answer in time
     * @throws NullPointerException if an argument is null
     */
    public <T> CompletionStage<RemoteWritePort<T>> connectWriter(String address, ValueCodec<T> codec) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(codec, "codec");
        RemoteWritePort.ClientLink<T> link = new RemoteWritePort.ClientLink<>(this, newId(), address, options.window(),
                options.sendBuffer(), codec);
        return connect(link, Frames.PUT, codec, () -> {
            link.opened();
            return new RemoteWritePort<>(link);
        });
    }

    private <P> CompletionStage<P> connect(Link link, String role, ValueCodec<?> codec,
                                           java.util.function.Supplier<P> opened) {
        CompletableFuture<P> f = new CompletableFuture<>();
        onContext(() -> {
            if (closed) {
                f.completeExceptionally(closedError(link.address));
                return;
            }
            codec.register(bus);
            links.put(link.id, link);
            DeliveryOptions o = new DeliveryOptions()
                    .setSendTimeout(options.connectTimeout().toMillis())
                    .addHeader(Frames.F, Frames.CONNECT)
                    .addHeader(Frames.L, link.id)
                    .addHeader(Frames.S, Integer.toString(link.window))
                    .addHeader(Frames.ROLE, role)
                    .addHeader(Frames.NODE, nodeAddress);
            bus.request(link.address, null, o).onComplete(ar -> {
                if (ar.succeeded() && !closed) {
                    link.peer = ar.result().headers().get(Frames.NODE);
                    link.lastHeard = System.nanoTime();
                    f.complete(opened.get());
                    return;
                }
                links.remove(link.id);
                f.completeExceptionally(connectError(link.address, ar.cause()));
            });
        });
        return f;
    }

    private RemoteChannelException connectError(String address, Throwable cause) {
        if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            return new RemoteChannelException("No channel is exported at address '" + address + "': export it first"
                    + " with RemoteChannels.export(...) on the owning node; connect does not wait (retry if the owner"
                    + " is still starting)", cause);
        }
        if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
            return new RemoteChannelException("The owner of '" + address + "' did not answer within "
                    + options.connectTimeout().toMillis() + " ms (RemoteOptions.connectTimeout)", cause);
        }
        if (cause == null) {
            return closedError(address);
        }
        return new RemoteChannelException("Could not connect to '" + address + "': " + cause.getMessage(), cause);
    }

    private static RemoteChannelException closedError(String address) {
        return new RemoteChannelException("RemoteChannels is closed: cannot use '" + address + "'", null);
    }

    /**
     * Closes this node's end: every live link ends (the peer is told: END where this side sends,
     * CANCEL where it receives; values in doubt are counted lost and reported), exports are
     * unregistered. Idempotent.
     *
     * @return a stage completing when the consumers are unregistered
     */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onContext(() -> {
            if (closed) {
                f.complete(null);
                return;
            }
            closed = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            for (Link l : List.copyOf(links.values())) {
                l.closeByNode();
            }
            for (Export e : List.copyOf(exports.values())) {
                e.consumer.unregister();
            }
            exports.clear();
            consumer.unregister().onComplete(ar -> f.complete(null));
        });
        return f;
    }

    /** This instance's node address (where its links receive frames). */
    public String nodeAddress() {
        return nodeAddress;
    }

    /** The options in force (a copy). */
    public RemoteOptions options() {
        return options.copy();
    }

    /** Live links of this instance, both sides. For tests and monitoring; approximate off the context. */
    public int liveLinks() {
        return links.size();
    }

    // ---- package-private: the link machinery ----

    void onContext(Runnable r) {
        context.runOnContext(v -> r.run());
    }

    void adopt(Link link) {
        links.put(link.id, link);
    }

    void forget(Link link) {
        links.remove(link.id);
        link.forgotten();
    }

    void unexport(Export e) {
        if (exports.remove(e.address(), e)) {
            e.consumer.unregister();
        }
    }

    void report(RemoteLinkException e) {
        try {
            options.failureHandler().accept(e);
        } catch (RuntimeException ignored) {
            // A failing handler must not stop the link machinery.
        }
    }

    void send(String to, String frame, String linkId, long s, Object body, String codecName) {
        DeliveryOptions o = new DeliveryOptions()
                .addHeader(Frames.F, frame)
                .addHeader(Frames.L, linkId)
                .addHeader(Frames.S, Long.toString(s));
        if (codecName != null) {
            o.setCodecName(codecName);
        }
        bus.send(to, body, o);
    }

    /** A frame for one of this node's links (decoding of the body is the link's, lazily). */
    private void onFrame(Message<Object> msg) {
        String id = msg.headers().get(Frames.L);
        Link link = id == null ? null : links.get(id);
        if (link == null) {
            return; // a link that ended or failed: frames for it are ignored
        }
        link.lastHeard = System.nanoTime();
        long s;
        try {
            s = Long.parseLong(msg.headers().get(Frames.S));
        } catch (RuntimeException e) {
            link.fail("a malformed frame arrived", 0, e);
            return;
        }
        link.onFrame(String.valueOf(msg.headers().get(Frames.F)), s, msg);
    }

    /** The heartbeat: PING each live link, fail the silent ones, tell writers of closed channels. */
    private void tick() {
        long now = System.nanoTime();
        long timeout = options.linkTimeout().toNanos();
        // If this node's own loop stalled (GC pause, blocked handler), the peers' frames are still
        // queued behind the stall: time this node could not listen is not the peers' silence.
        long stall = lastTick == 0 ? 0 : now - lastTick - 2 * options.heartbeat().toNanos();
        lastTick = now;
        for (Link l : List.copyOf(links.values())) {
            if (stall > 0) {
                l.lastHeard += stall;
            }
            if (l.peer == null || !l.live() || !l.waitsForPeer()) {
                continue; // not connected, ended, or only waiting for local takers after END
            }
            if (now - l.lastHeard > timeout) {
                l.fail("no frame from the peer for " + options.linkTimeout().toMillis()
                        + " ms (RemoteOptions.linkTimeout): the node died, froze or left", 0, null);
            } else {
                l.heartbeat();
            }
        }
        for (Export e : List.copyOf(exports.values())) {
            if (e.channelIsClosed()) {
                e.channelClosed();
            }
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
