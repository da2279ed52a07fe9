package io.csp4j.spi;

/**
 * A handle on a timer set with {@link Dispatcher#schedule(java.time.Duration, Runnable)}.
 *
 * <p>Thread-safe: {@link #cancel()} may be called from any thread, any number of times.
 */
@FunctionalInterface
public interface Cancellable {

    /**
     * Cancels the timer. If it is called before the timer fires, the task never runs, and the
     * dispatcher lets go of the task (it keeps nothing of a cancelled timer once the thread that owns
     * the timer has run again).
     *
     * @return {@code true} if this call prevented the task from running; {@code false} if the task
     *     already ran, is running, or was cancelled before
     */
    boolean cancel();
}
