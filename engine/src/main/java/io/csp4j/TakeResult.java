package io.csp4j;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The outcome of a take with a time limit, {@link ReadPort#takeWithin(java.time.Duration)}: a value, the
 * channel closed and drained, or the time limit passed first. Three cases that a {@code null} or an
 * empty {@link Optional} would mix up (docs/adr/0017): Go writes them as {@code v, ok := <-ch} in a
 * {@code select} with {@code time.After}, kotlinx as {@code withTimeoutOrNull { receiveCatching() }}.
 *
 * <p>Immutable and thread-safe. Match it with a {@code switch} over the three records, or ask
 * {@link #isValue()}, {@link #isClosed()} and {@link #isTimedOut()}:
 *
 * {@snippet :
 * switch (orders.takeWithin(Duration.ofMillis(100))) {
 *     case TakeResult.Value<String>(String order) -> ship(order);
 *     case TakeResult.Closed<String> c -> System.out.println("no more orders");
 *     case TakeResult.TimedOut<String> t -> System.out.println("nothing within 100 ms");
 * }
 * }
 *
 * @param <T> the type of the value; never {@code null}
 */
public sealed interface TakeResult<T> permits TakeResult.Value, TakeResult.Closed, TakeResult.TimedOut {

    /**
     * A value was taken.
     *
     * @param value the value; never {@code null}
     * @param <T> the type of the value
     */
    record Value<T>(T value) implements TakeResult<T> {
        /**
         * A taken value.
         *
         * @throws NullPointerException if {@code value} is null (a channel never carries null)
         */
        public Value {
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The channel was closed and drained: no value will ever come.
     *
     * @param <T> the type of the channel's values
     */
    record Closed<T>() implements TakeResult<T> {}

    /**
     * The time limit passed before a value came; the channel may still deliver later. Nothing was
     * taken.
     *
     * @param <T> the type of the channel's values
     */
    record TimedOut<T>() implements TakeResult<T> {}

    /** Whether a value was taken. */
    default boolean isValue() {
        return this instanceof Value;
    }

    /** Whether the channel was closed and drained. */
    default boolean isClosed() {
        return this instanceof Closed;
    }

    /** Whether the time limit passed first (nothing was taken). */
    default boolean isTimedOut() {
        return this instanceof TimedOut;
    }

    /**
     * The value taken.
     *
     * @return the value; never {@code null}
     * @throws NoSuchElementException if no value was taken; the message says whether the channel was
     *     closed or the time limit passed
     */
    default T value() {
        if (this instanceof Value<T> v) {
            return v.value();
        }
        throw new NoSuchElementException(this instanceof Closed
                ? "No value: the channel was closed and drained (check isClosed() first, or use orElse)"
                : "No value: the time limit passed first (check isTimedOut() first, or use orElse)");
    }

    /**
     * The value taken, or {@code other} if the channel was closed or the time limit passed.
     *
     * @param other what to return when no value was taken; may be {@code null}
     * @return the value or {@code other}
     */
    default T orElse(T other) {
        return this instanceof Value<T> v ? v.value() : other;
    }

    /**
     * The value as an {@link Optional}: empty when the channel was closed or the time limit passed
     * (use it only where the two need not be told apart).
     *
     * @return the value, or empty
     */
    default Optional<T> toOptional() {
        return this instanceof Value<T> v ? Optional.of(v.value()) : Optional.empty();
    }
}
