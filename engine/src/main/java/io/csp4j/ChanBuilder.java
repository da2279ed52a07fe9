package io.csp4j;

import io.csp4j.internal.ManyToManyChannel;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a channel with every option: buffer, transformation, exception handler, pending-operation
 * limit and a name for {@code toString()}. The {@link Csp#chan} overloads cover the common cases.
 *
 * {@snippet :
 * Channel<Integer, List<Integer>> batches = Csp.<List<Integer>>chanBuilder()
 *         .buffer(64)
 *         .maxPending(4096)
 *         .named("batches")
 *         .xform(Xform.<Integer>partitionAll(10)); // put Integers, take List<Integer>s
 * }
 *
 * <p>Not thread-safe (build on one thread); each {@code build}/{@code xform} call makes a new
 * channel, so a builder must not be reused when it holds a buffer instance.
 *
 * @param <T> the type of the values in the buffer: what is taken
 */
public final class ChanBuilder<T> {

    private Buffer<T> buffer;
    private int maxPending;
    private String name;

    ChanBuilder() {}

    /** A fixed buffer of {@code n}; {@code 0} means none (a rendezvous channel). */
    public ChanBuilder<T> buffer(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("A buffer size must be >= 0 (0 for a rendezvous channel), was " + n);
        }
        this.buffer = n == 0 ? null : Buffers.fixed(n);
        return this;
    }

    /** The given buffer (from {@link Buffers}, or your own); {@code null} means none. */
    public ChanBuilder<T> buffer(Buffer<T> b) {
        this.buffer = b;
        return this;
    }

    /**
     * The limit of pending puts and of pending takes (default 1024, or {@code -Dcsp4j.maxPending}).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ChanBuilder<T> maxPending(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + n);
        }
        this.maxPending = n;
        return this;
    }

    /** A name shown by {@code toString()}. */
    public ChanBuilder<T> named(String n) {
        this.name = n;
        return this;
    }

    /** Builds the channel. */
    public Chan<T> build() {
        return new ManyToManyChannel<T>(buffer, null, null, maxPending, name);
    }

    /**
     * Builds the channel with a transformation; exceptions it throws go to the uncaught-exception
     * handler and the value is dropped.
     *
     * @throws IllegalArgumentException if no buffer was set (a transformation needs one)
     */
    public <A> Channel<A, T> xform(Xform<? super A, ? extends T> xform) {
        return xform(xform, null);
    }

    /**
     * Builds the channel with a transformation and an exception handler: when the transformation
     * throws, the handler's non-null result is put in the buffer instead (core.async ex-handler).
     *
     * @throws IllegalArgumentException if no buffer was set
     */
    @SuppressWarnings("unchecked")
    public <A> Channel<A, T> xform(Xform<? super A, ? extends T> xform,
                                   Function<? super Throwable, ? extends T> exHandler) {
        Objects.requireNonNull(xform, "xform");
        // Erased, the channel stores Ts and accepts As through the transformation.
        return (Channel<A, T>) (Channel<?, ?>) new ManyToManyChannel<T>(buffer, xform, exHandler, maxPending, name);
    }
}
