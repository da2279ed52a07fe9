package io.csp4j;

/**
 * What {@link Csp#alts} chose: the value and the channel of the operation that completed.
 *
 * <p>For a take, {@code value} is the value taken, or {@code null} if the channel was closed and
 * drained; for a put, it is {@link Boolean#TRUE} if the value was accepted, {@code FALSE} if the
 * channel was closed. When nothing was ready and a default was given, {@code value} is the default
 * and {@code channel} is {@link Csp#DEFAULT}. When the deadline of an {@code altsWithin} passed first,
 * {@code value} is {@code null} and {@code channel} is {@link Csp#TIMED_OUT}.
 *
 * {@snippet :
 * AltResult r = alts(c, timeout(Duration.ofMillis(800)));
 * if (r.channel() == c) System.out.println(r.value());
 * else System.out.println("You're too slow.");
 * }
 *
 * @param value the value taken, the put's outcome, or the default
 * @param channel the channel of the operation that completed, {@link Csp#DEFAULT} or {@link Csp#TIMED_OUT}
 */
public record AltResult(Object value, Object channel) {

    /** Whether the default value was chosen because nothing was ready. */
    public boolean isDefault() {
        return channel == Csp.DEFAULT;
    }

    /** Whether the deadline of an {@link Csp#altsWithin(java.time.Duration, ReadPort...) altsWithin} passed first. */
    public boolean isTimedOut() {
        return channel == Csp.TIMED_OUT;
    }

    /** Whether the operation on {@code c} is the one that completed. */
    public boolean from(Object c) {
        return channel == c;
    }

    /** The value, cast to the type the caller expects. */
    @SuppressWarnings("unchecked")
    public <T> T valueAs() {
        return (T) value;
    }
}
