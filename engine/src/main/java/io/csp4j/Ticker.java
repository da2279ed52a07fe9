package io.csp4j;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.sleep;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/*
 * Overview of implementation
 *
 * One process per ticker: sleep until the next deadline (start + k * period, so ticks do not drift
 * with the time spent per step), put Instant.now() on a channel with a sliding buffer of 1, repeat.
 * The put never parks (sliding buffer): a slow reader finds only the newest tick, never a pile.
 * When the channel is closed the put returns false and the process ends: closing the ticker stops
 * it at its next deadline at the latest. If the process falls behind by more than a period (a busy
 * dispatcher), the missed deadlines are skipped rather than fired in a burst (Go's time.Ticker
 * does the same).
 */

/**
 * A ticker: a channel that receives the current {@link Instant} every period, like Go's
 * {@code time.NewTicker}. Create one with {@link #every(Duration)} (or {@code Csp.ticker(period)}).
 *
 * <p>The channel has a sliding buffer of 1: a reader that falls behind sees the newest tick and the
 * missed ones are dropped, so ticks never pile up. Close the channel to stop the ticker (the timer
 * ends at its next tick at the latest; after close, {@code take()} returns at most the one buffered
 * tick, then {@code null}). Thread-safe; uses the dispatcher's timers through {@link Csp#sleep}.
 *
 * {@snippet :
 * Chan<Instant> tick = Ticker.every(Duration.ofSeconds(1));
 * for (int i = 0; i < 3; i++) System.out.println("tick at " + tick.take());
 * tick.close();
 * }
 */
public final class Ticker {

    private Ticker() {}

    /**
     * Starts a ticker with the given period; the first tick comes one period from now.
     *
     * @throws NullPointerException if {@code period} is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static Chan<Instant> every(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A ticker's period must be positive, was " + period);
        }
        Chan<Instant> ticks = chan(Buffers.sliding(1));
        long periodNanos = period.toNanos();
        go(() -> {
            long next = System.nanoTime() + periodNanos;
            while (true) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(Duration.ofNanos(wait));
                }
                if (!ticks.put(Instant.now())) {
                    return; // closed: the ticker stops
                }
                next += periodNanos;
                long now = System.nanoTime();
                if (now - next > periodNanos) {
                    next = now + periodNanos; // fell behind: skip the missed ticks
                }
            }
        });
        return ticks;
    }

    /** {@link #every(Duration)} in milliseconds. */
    public static Chan<Instant> every(long millis) {
        return every(Duration.ofMillis(millis));
    }
}
