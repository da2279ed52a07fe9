package io.csp4j.cluster;

import io.csp4j.Csp;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link RemoteChannels}: the credit window per link, an optional send buffer in
 * front of each remote write port, the heartbeat and link timeout
 * that bound failure detection, the connect timeout, and where link failures are reported. Mutable
 * until passed to {@link RemoteChannels#create}; not thread-safe.
 *
 * {@snippet :
 * RemoteOptions opts = new RemoteOptions().window(128).linkTimeout(Duration.ofSeconds(3));
 * }
 */
public final class RemoteOptions {

    private int window = 64;
    private int sendBuffer;
    private Duration heartbeat = Duration.ofSeconds(1);
    private Duration linkTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Consumer<? super RemoteLinkException> onFailure = Csp::report;

    /**
     * Values in flight per link (default 64): what a reader prefetches at most, and how many values a
     * writer may send before the owner confirms.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public RemoteOptions window(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + n);
        }
        this.window = n;
        return this;
    }

    /**
     * Values a remote write port may buffer on the putter's node in front of its link (default 0:
     * none). With 0, a remote {@code put} returns {@code true} only once the link took the value
     * within the owner's credit and sent it (PROTOCOL.md). With {@code n > 0}, a {@code put} (or
     * {@code offer}) also returns {@code true} as soon as the value is in the port's buffer of
     * {@code n}, from which the link sends in order as the owner grants credit: a streaming putter
     * no longer waits for the link to come back for each value, at the price of a weaker
     * {@code true}. A buffered value is sent unless the link fails or the owner's channel closes
     * first, and then it is counted lost and reported, as a parked put is; never silently dropped.
     * Back-pressure still holds: a putter is at most {@code window + n} + the channel's buffer
     * (+2) values ahead of the taker. Applies to every writer the {@link RemoteChannels} connects.
     *
     * {@snippet :
     * RemoteChannels streaming = RemoteChannels.create(vertx, new RemoteOptions().sendBuffer(64))
     *         .toCompletableFuture().join();
     * }
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public RemoteOptions sendBuffer(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("sendBuffer must be 0 (none) or more, was " + n);
        }
        this.sendBuffer = n;
        return this;
    }

    /**
     * How often each live link sends a heartbeat (default 1 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public RemoteOptions heartbeat(Duration d) {
        this.heartbeat = positive(d, "heartbeat");
        return this;
    }

    /**
     * How long a link may hear nothing from its peer before it fails (default 5 s). The longest time
     * from a peer's death to its failed links is {@code linkTimeout + heartbeat}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public RemoteOptions linkTimeout(Duration d) {
        this.linkTimeout = positive(d, "linkTimeout");
        return this;
    }

    /**
     * How long a connect waits for the owner's answer (default 5 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public RemoteOptions connectTimeout(Duration d) {
        this.connectTimeout = positive(d, "connectTimeout");
        return this;
    }

    /**
     * Receives each link failure and each count of values lost or refused, once (default: the engine's
     * uncaught-exception handler, {@link Csp#report}). Called on the Vert.x context of the
     * {@link RemoteChannels}; must not block.
     *
     * @throws NullPointerException if {@code handler} is null
     */
    public RemoteOptions onFailure(Consumer<? super RemoteLinkException> handler) {
        this.onFailure = Objects.requireNonNull(handler, "onFailure handler");
        return this;
    }

    /** The credit window per link. */
    public int window() {
        return window;
    }

    /** The send buffer of each remote write port (0: none). */
    public int sendBuffer() {
        return sendBuffer;
    }

    /** The heartbeat period. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** The link timeout. */
    public Duration linkTimeout() {
        return linkTimeout;
    }

    /** The connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    Consumer<? super RemoteLinkException> failureHandler() {
        return onFailure;
    }

    RemoteOptions copy() {
        RemoteOptions o = new RemoteOptions();
        o.window = window;
        o.sendBuffer = sendBuffer;
        o.heartbeat = heartbeat;
        o.linkTimeout = linkTimeout;
        o.connectTimeout = connectTimeout;
        o.onFailure = onFailure;
        return o;
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
