package io.csp4j;

import java.util.Objects;

/**
 * One operation of {@link Csp#alts}: a take from a channel or a put of a value onto one. A
 * {@code null} channel is allowed and is never ready (Go's nil channel), which is how a for-select
 * loop turns a case off.
 *
 * {@snippet :
 * AltResult r = alts(AltOp.take(in), AltOp.put(out, pending));
 * }
 */
public final class AltOp {

    private final Object channel;
    private final Object value;

    private AltOp(Object channel, Object value) {
        this.channel = channel;
        this.value = value;
    }

    /** A take from {@code channel} ({@code null}: never ready). */
    public static AltOp take(ReadPort<?> channel) {
        return new AltOp(channel, null);
    }

    /**
     * A put of {@code value} onto {@code channel} ({@code null} channel: never ready).
     *
     * @throws NullPointerException if {@code value} is null ("Can't put null on a channel")
     */
    public static <T> AltOp put(WritePort<T> channel, T value) {
        return new AltOp(channel, Objects.requireNonNull(value, "Can't put null on a channel"));
    }

    /** The channel, or {@code null}. */
    public Object channel() {
        return channel;
    }

    /** Whether this is a put. */
    public boolean isPut() {
        return value != null;
    }

    /** The value to put, or {@code null} for a take. */
    public Object value() {
        return value;
    }

    @Override
    public String toString() {
        return isPut() ? "put(" + channel + ", " + value + ")" : "take(" + channel + ")";
    }
}
