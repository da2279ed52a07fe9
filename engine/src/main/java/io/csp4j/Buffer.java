package io.csp4j;

/**
 * The buffer of a {@link Chan}: core.async's buffer protocol.
 *
 * <p>A channel calls these methods only while holding its own lock, so an implementation needs no
 * synchronization of its own and must not block, park or call back into any channel. A buffer
 * belongs to exactly one channel; never share one. The bundled buffers come from {@link Buffers};
 * implement this interface for special ones (a windowed or prioritised buffer, say).
 *
 * @param <T> the element type; the channel never passes {@code null}
 */
public interface Buffer<T> {

    /**
     * Whether a put would have to wait: a full fixed buffer parks the putter, while dropping, sliding,
     * promise and unbounded buffers are never full.
     */
    boolean isFull();

    /** The number of values that can be taken now. */
    int size();

    /** Adds a value; called only when {@link #isFull()} is false. */
    void add(T value);

    /**
     * Removes and returns the oldest value (the promise buffer returns its value without removing
     * it); called only when {@link #size()} is positive.
     */
    T remove();

    /**
     * Whether a put into this buffer never waits ({@code true} for dropping, sliding, promise and
     * unbounded buffers). Such channels never hold pending puts.
     */
    default boolean isUnblocking() {
        return false;
    }

    /** Called once when the channel closes (the promise buffer forgets an unset value there). */
    default void onClose() {}
}
