package io.csp4j;

import io.csp4j.internal.ScopeCore;
import java.time.Duration;
import java.util.Objects;

/**
 * A structured scope whose processes must all succeed: Go's {@code errgroup.WithContext}, kotlinx's
 * {@code coroutineScope}, the JDK's {@code StructuredTaskScope} with {@code allSuccessfulOrThrow}.
 * The scope owns the processes started with its {@code go} and ends only when they have all ended.
 *
 * {@snippet :
 * try (Scope scope = Scope.open(Duration.ofSeconds(2))) {   // the deadline of the whole scope
 *     Task<Profile> profile = scope.go(() -> profiles.take());
 *     Task<Integer> score = scope.go(() -> score(userId));
 *     scope.join();          // waits for both; the first failure cancels the other and is rethrown
 *     return new Page(profile.get(), score.get());
 * }                          // close(): cancels what still runs and waits for it
 * }
 *
 * <ul>
 *   <li><b>join()</b> waits for every process (parks inside a go block, so the lane stays free;
 *       blocks an ordinary thread), then throws the first real failure with the later ones attached
 *       as suppressed (cancellations of siblings are not attached), or a
 *       {@link DeadlineExceededException} if the deadline cancelled a process, or a
 *       {@link ProcessCancelledException} if the scope was cancelled and a process with it.
 *       A checked exception of a body arrives wrapped in {@link java.util.concurrent.CompletionException}.</li>
 *   <li><b>close()</b> cancels what is still running, waits for it (not cancellable itself), and
 *       throws nothing of its own; a failure that {@code join} did not deliver goes to the
 *       uncaught-exception handler.</li>
 *   <li><b>Nesting.</b> A scope opened inside a process is cancelled with that process: cancelling a
 *       task cancels the scopes it opened, and their processes, at once.</li>
 *   <li><b>Cancellation</b> reaches a process at its parks ({@link ProcessCancelledException});
 *       a process that never parks is not interrupted (see {@link Csp#checkCancelled()}).</li>
 * </ul>
 *
 * <p>Processes started with plain {@link Csp#go(Csp.Body)}, even inside a scope's process, belong
 * to no scope and behave as always. Thread-safe: processes of the scope may start more processes
 * in it (until it is closed); {@code join} and {@code close} belong to the code that opened it.
 */
public final class Scope implements AutoCloseable {

    private final ScopeCore core;

    private Scope(Duration timeout) {
        this.core = new ScopeCore(ScopeCore.Policy.ALL_SUCCEED, timeout);
    }

    /** Opens a scope whose processes must all succeed, with no deadline. Never blocks. */
    public static Scope open() {
        return new Scope(null);
    }

    /**
     * Opens a scope whose processes must all succeed within {@code timeout} from now; on expiry every
     * process still running is cancelled and {@code join} throws {@link DeadlineExceededException}.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    public static Scope open(Duration timeout) {
        return new Scope(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Opens a scope whose first successful process wins (Go's replicated query): see
     * {@link FirstSuccess}.
     *
     * @param <T> the type of the result
     */
    public static <T> FirstSuccess<T> firstSuccess() {
        return new FirstSuccess<>(null);
    }

    /**
     * {@link #firstSuccess()} with a deadline for the whole race.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    public static <T> FirstSuccess<T> firstSuccess(Duration timeout) {
        return new FirstSuccess<>(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Starts {@code body} as a process of this scope, in the engine's process mode. Never blocks;
     * never runs the body on the caller's stack. If the scope is already cancelled, the task is
     * {@link Task.State#CANCELLED} and the body never runs.
     *
     * @throws IllegalStateException if the scope is closed
     * @throws NullPointerException if {@code body} is null
     */
    public <T> Task<T> go(Csp.Body<? extends T> body) {
        return go(null, body);
    }

    /** {@link #go(Csp.Body)} for a body that returns nothing. */
    public Task<Void> go(Csp.VoidBody body) {
        return go(null, body);
    }

    /** {@link #go(Csp.Body)} with a name for the process (shown by its task and the process dump). */
    public <T> Task<T> go(String name, Csp.Body<? extends T> body) {
        return new Task<>(core.start(body, name));
    }

    /** {@link #go(String, Csp.Body)} for a body that returns nothing. */
    public Task<Void> go(String name, Csp.VoidBody body) {
        Objects.requireNonNull(body, "body");
        return new Task<>(core.start(() -> {
            body.run();
            return null;
        }, name));
    }

    /**
     * Waits until every process of the scope has ended, then throws the scope's failure if it has
     * one (see the class comment). Parks inside a go block, blocks an ordinary thread; a cancelled
     * caller cancels the scope's processes, waits for them, and throws
     * {@link ProcessCancelledException}. May be called again after more processes were started.
     *
     * @throws RuntimeException the first real failure of a process (checked ones wrapped in
     *     {@link java.util.concurrent.CompletionException}), with the others suppressed
     * @throws DeadlineExceededException if the scope's deadline cancelled a process
     * @throws ProcessCancelledException if the scope (or the calling process) was cancelled
     * @throws IllegalStateException if called by a process of this scope, or on a dispatcher thread
     *     outside any process
     */
    public void join() {
        core.join();
    }

    /**
     * Cancels every process of the scope that is still running; processes started later never run.
     * Never blocks; idempotent; {@code join} then reports {@link ProcessCancelledException}.
     */
    public void cancel() {
        core.cancel();
    }

    /** Whether the scope was cancelled: by {@link #cancel()}, a failure, its deadline or its owner. */
    public boolean isCancelled() {
        return core.isCancelled();
    }

    /**
     * Cancels what is still running and waits for it to end (parks in a go block, blocks elsewhere;
     * neither cancellable nor interruptible), then refuses new processes. Throws nothing of its own;
     * a failure that {@link #join()} did not deliver goes to the uncaught-exception handler.
     * Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /** For {@link Csp#withTimeoutOrNull}: whether {@code e} is this scope's own deadline. */
    boolean isOwnDeadline(Throwable e) {
        return core.isOwnDeadline(e);
    }
}
