package io.csp4j;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The putting side of a channel (core.async's {@code WritePort}; Go's {@code chan<- T}). Every
 * {@link Chan} is one; {@link Channel} separates the two sides when a transformation changes the
 * type. See {@link Chan} for the semantics shared by all channels.
 *
 * @param <T> the type of the values put; never {@code null}
 */
public interface WritePort<T> {
    /**
     * Puts a value, waiting (parking in a process, blocking elsewhere) until it is accepted: taken by
     * a taker, or added to the buffer.
     *
     * @param value the value; not {@code null}
     * @return {@code true} if the value was accepted, {@code false} if the channel was already closed
     *     (the value is then dropped)
     * @throws NullPointerException if {@code value} is null ("Can't put null on a channel")
     * @throws IllegalStateException on a dispatcher thread outside a process, or if 1024 puts are
     *     already pending on this channel
     * @throws CspInterruptedException if a blocked (non-process) thread is interrupted before the
     *     put completes; the value was then not put
     */
    boolean put(T value);

    /**
     * Puts a value only if that can be done at once (a waiting taker, or room in the buffer); never
     * waits and never enqueues. core.async {@code offer!}.
     *
     * @param value the value; not {@code null}
     * @return {@code true} if the value was accepted now; {@code false} if it would have had to wait
     *     or the channel is closed
     * @throws NullPointerException if {@code value} is null
     */
    boolean offer(T value);

    /**
     * Puts a value without waiting; the stage completes with what {@link #put} would return.
     * Dependent actions of the stage run on the dispatcher, never on the caller's stack.
     *
     * @param value the value; not {@code null}
     * @return a stage completing with {@code true} once accepted, {@code false} if closed
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalStateException if 1024 puts are already pending
     */
    CompletionStage<Boolean> putAsync(T value);

    /**
     * Puts a value without waiting and calls {@code callback} (on the dispatcher, never on the
     * caller's stack) with what {@link #put} would return. core.async {@code put!}.
     *
     * @param value the value; not {@code null}
     * @param callback receives the outcome; not {@code null}; what it throws goes to the uncaught
     *     exception handler
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if 1024 puts are already pending
     */
    void putAsync(T value, Consumer<? super Boolean> callback);

    /**
     * Closes the channel; idempotent. Buffered values and parked putters are still delivered to later
     * takers; pending takers with nothing to receive get {@code null}; later puts return
     * {@code false}. Never waits.
     */
    void close();

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

}
