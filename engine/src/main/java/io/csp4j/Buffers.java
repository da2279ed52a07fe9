package io.csp4j;

import io.csp4j.internal.ChannelBuffers;

/**
 * Factories of the bundled {@link Buffer}s (core.async's {@code buffer}, {@code dropping-buffer},
 * {@code sliding-buffer}, and the promise buffer behind {@link Csp#promiseChan()}).
 *
 * <p>Each call returns a new buffer; a buffer belongs to one channel. All methods are thread-safe.
 *
 * {@snippet :
 * Chan<String> latest = chan(Buffers.sliding(1)); // readers always see the newest value
 * Chan<Event> log = chan(Buffers.dropping(10_000)); // a producer that must never wait
 * }
 */
public final class Buffers {

    private Buffers() {}

    /**
     * A fixed buffer of {@code n} values: puts park (or block) while it holds {@code n}.
     *
     * @throws IllegalArgumentException if {@code n < 1} (use {@link Csp#chan()} for a rendezvous)
     */
    public static <T> Buffer<T> fixed(int n) {
        return new ChannelBuffers.Fixed<>(checkSize(n, "fixed"));
    }

    /**
     * A buffer of {@code n} values that drops new values when full: puts never wait, and
     * {@code put} still returns {@code true} for a dropped value (core.async semantics).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T> Buffer<T> dropping(int n) {
        return new ChannelBuffers.Dropping<>(checkSize(n, "dropping"));
    }

    /**
     * A buffer of {@code n} values that drops the oldest value when full: puts never wait.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <T> Buffer<T> sliding(int n) {
        return new ChannelBuffers.Sliding<>(checkSize(n, "sliding"));
    }

    /**
     * An unbounded buffer: puts never wait and nothing is dropped. For producers that must never park
     * and whose rate is bounded some other way; memory is the only limit.
     */
    public static <T> Buffer<T> unbounded() {
        return new ChannelBuffers.Unbounded<>();
    }

    /**
     * The promise buffer: keeps the first value put and gives it to every taker; later puts are
     * accepted and dropped. Used by {@link Csp#promiseChan()}.
     */
    public static <T> Buffer<T> promise() {
        return new ChannelBuffers.Promise<>();
    }

    private static int checkSize(int n, String kind) {
        if (n < 1) {
            throw new IllegalArgumentException("A " + kind + " buffer needs a size of at least 1, was " + n
                    + (n == 0 ? "; for a rendezvous channel use chan() without a buffer" : ""));
        }
        return n;
    }
}
