package io.csp4j.internal;

import io.csp4j.Chan;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code timeout(d)}: a new channel per call, closed by a dispatcher timer after {@code d}. Unlike
 * core.async, timeout channels are never shared between calls (core.async reuses one per 10 ms
 * window); a zero or negative delay closes the channel as soon as possible, never on the caller's
 * stack (Go's {@code time.After} semantics).
 */
public final class Timers {

    private Timers() {}

    public static <T> Chan<T> timeout(Duration d) {
        Objects.requireNonNull(d, "duration");
        ManyToManyChannel<T> ch = new ManyToManyChannel<>(null, null, null, 0, "timeout(" + d.toMillis() + "ms)");
        Engine.dispatcher().schedule(d.isNegative() ? Duration.ZERO : d, ch::close);
        return ch;
    }
}
