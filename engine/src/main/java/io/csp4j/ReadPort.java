package io.csp4j;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The taking side of a channel (core.async's {@code ReadPort}; Go's {@code <-chan T}). Every
 * {@link Chan} is one; {@link Channel} separates the two sides when a transformation changes the
 * type. See {@link Chan} for the semantics shared by all channels.
 *
 * @param <T> the type of the values taken; never {@code null}
 */
public interface ReadPort<T> {
    /**
     * Takes a value, waiting (parking in a process, blocking elsewhere) until one is available or the
     * channel is closed and drained.
     *
     * @return the value, or {@code null} if the channel is closed and drained
     * @throws IllegalStateException on a dispatcher thread outside a process, or if 1024 takes are
     *     already pending on this channel
     * @throws CspInterruptedException if a blocked (non-process) thread is interrupted before a value
     *     arrives; no value was then taken
     */
    T take();

    /**
     * Takes a value only if one is available at once; never waits and never enqueues. core.async
     * {@code poll!}.
     *
     * @return the value, or {@code null} if none is available now (or the channel is closed and
     *     drained)
     */
    T poll();

    /**
     * Takes a value without waiting; the stage completes with what {@link #take} would return
     * ({@code null} when closed and drained). Dependent actions run on the dispatcher.
     *
     * @throws IllegalStateException if 1024 takes are already pending
     */
    CompletionStage<T> takeAsync();

    /**
     * Takes a value without waiting and calls {@code callback} (on the dispatcher, never on the
     * caller's stack) with it, or with {@code null} when the channel is closed and drained.
     * core.async {@code take!}.
     *
     * @param callback receives the value; not {@code null}
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if 1024 takes are already pending
     */
    void takeAsync(Consumer<? super T> callback);

    /**
     * Closes the channel; idempotent. Buffered values and parked putters are still delivered to later
     * takers; pending takers with nothing to receive get {@code null}; later puts return
     * {@code false}. Never waits.
     */
    void close();

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

}
