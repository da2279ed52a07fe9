package io.csp4j;

import io.csp4j.internal.ScopeCore;
import java.time.Duration;
import java.util.Objects;

/**
 * A structured scope whose first successful process wins: the Go talk's replicated query
 * ({@code First(query, replicas...)}), the JDK's {@code anySuccessfulResultOrThrow}, kotlinx's
 * {@code select} over {@code async}s. The winner's result is returned by {@link #join()} and every
 * other process is cancelled; results that arrive after that are ignored (they stay on their
 * {@link Task}). Opened with {@link Scope#firstSuccess()}.
 *
 * {@snippet :
 * try (FirstSuccess<Result> race = Scope.firstSuccess(Duration.ofMillis(80))) {
 *     for (Search replica : replicas) {
 *         race.go(() -> replica.search(query));
 *     }
 *     return race.join();     // the fastest replica's result; the others are cancelled
 * }
 * }
 *
 * <p>Otherwise it behaves like {@link Scope}: join parks in a go block and blocks elsewhere; close
 * cancels, waits and throws nothing of its own; it nests; thread-safe in the same way.
 *
 * @param <T> the type of the result
 */
public final class FirstSuccess<T> implements AutoCloseable {

    private final ScopeCore core;

    FirstSuccess(Duration timeout) {
        this.core = new ScopeCore(ScopeCore.Policy.FIRST_SUCCESS, timeout);
    }

    /**
     * Starts {@code body} as a contestant. Never blocks. If the race is already decided or
     * cancelled, the task is {@link Task.State#CANCELLED} and the body never runs.
     *
     * @throws IllegalStateException if the scope is closed
     * @throws NullPointerException if {@code body} is null
     */
    public Task<T> go(Csp.Body<? extends T> body) {
        return go(null, body);
    }

    /** {@link #go(Csp.Body)} with a name for the process. */
    public Task<T> go(String name, Csp.Body<? extends T> body) {
        return new Task<>(core.start(body, name));
    }

    /**
     * Waits until every process has ended (the losers are cancelled as soon as one succeeds) and
     * returns the winner's result. Parks inside a go block, blocks an ordinary thread.
     *
     * @return the first successful result (possibly {@code null} if that body returned null)
     * @throws RuntimeException if every process failed: the first failure, the others suppressed
     *     (checked ones wrapped in {@link java.util.concurrent.CompletionException})
     * @throws DeadlineExceededException if the deadline passed before any process succeeded
     * @throws ProcessCancelledException if the scope or the calling process was cancelled first
     * @throws java.util.NoSuchElementException if no process was started
     * @throws IllegalStateException if called by a process of this scope, or on a dispatcher thread
     *     outside any process
     */
    @SuppressWarnings("unchecked")
    public T join() {
        return (T) core.join();
    }

    /** Cancels every contestant still running; never blocks; idempotent. */
    public void cancel() {
        core.cancel();
    }

    /** Whether the race was cancelled: decided, cancelled, timed out, or its owner cancelled. */
    public boolean isCancelled() {
        return core.isCancelled();
    }

    /** Cancels, waits (not cancellable), refuses new processes; throws nothing of its own. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
