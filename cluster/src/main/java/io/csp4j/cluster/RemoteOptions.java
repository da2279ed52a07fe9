package io.csp4j.cluster;

import io.csp4j.Csp;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link RemoteChannels}: the credit window per link, the heartbeat and link timeout
 * that bound failure detection, the connect timeout, and where link failures are reported. Mutable
 * until passed to {@link RemoteChannels#create}; not thread-safe.
 *
 * {@snippet :
 * RemoteOptions opts = new RemoteOptions().window(128).linkTimeout(Duration.ofSeconds(3));
 * }
 */
public final class RemoteOptions {

    private int window = 64;
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
