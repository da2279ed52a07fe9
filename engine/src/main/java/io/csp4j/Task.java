package io.csp4j;

import io.csp4j.internal.ScopeCore;

/**
 * A process started in a {@link Scope} or {@link FirstSuccess}: the handle to cancel it and, once
 * it has ended, to read its outcome.
 *
 * {@snippet :
 * try (Scope scope = Scope.open()) {
 *     Task<String> user = scope.go(() -> fetchUser(id));
 *     Task<List<Order>> orders = scope.go(() -> fetchOrders(id));
 *     scope.join();                       // parks in a go block, blocks elsewhere
 *     render(user.get(), orders.get());
 * }
 * }
 *
 * <p>Thread-safe: any thread may cancel a task or read its state.
 *
 * @param <T> the type of the process's result
 */
public final class Task<T> {

    /** Where a task is in its life. */
    public enum State {
        /** Started and not yet ended. */
        RUNNING,
        /** Returned normally: {@link #get()} gives the result. */
        SUCCEEDED,
        /**
         * Threw (other than the cancellation it was sent): {@link #exception()} gives it. A
         * {@code CancellationException} the process raised itself without being cancelled (an
         * {@code await} of a cancelled future) is such a failure.
         */
        FAILED,
        /** Ended by cancellation, or never ran because its scope was cancelled before it started. */
        CANCELLED
    }

    private final ScopeCore.Child child;

    Task(ScopeCore.Child child) {
        this.child = child;
    }

    /** The task's state now. Never blocks. */
    public State state() {
        return switch (child.state()) {
            case ScopeCore.Child.RUNNING -> State.RUNNING;
            case ScopeCore.Child.SUCCEEDED -> State.SUCCEEDED;
            case ScopeCore.Child.FAILED -> State.FAILED;
            default -> State.CANCELLED;
        };
    }

    /**
     * The result of a task that {@link State#SUCCEEDED} (possibly {@code null}). A task that finished
     * normally after it was cancelled still has its result here. Never blocks: call it after the
     * scope's {@code join()}.
     *
     * @throws IllegalStateException if the task is running, failed or was cancelled
     */
    @SuppressWarnings("unchecked")
    public T get() {
        State s = state();
        if (s != State.SUCCEEDED) {
            throw new IllegalStateException("The task " + this + " is " + s + ", it has no result: call get()"
                    + " after the scope's join(), and only on a task whose state() is SUCCEEDED", child.error());
        }
        return (T) child.value();
    }

    /**
     * What a {@link State#FAILED} task threw, or the cancellation a {@link State#CANCELLED} task ended
     * with ({@code null} if it never ran). Never blocks.
     *
     * @throws IllegalStateException if the task is running or succeeded
     */
    public Throwable exception() {
        State s = state();
        if (s == State.RUNNING || s == State.SUCCEEDED) {
            throw new IllegalStateException("The task " + this + " is " + s + ", it has no exception");
        }
        return child.error();
    }

    /**
     * Cancels this process alone: it stops at its current or next park point with a
     * {@link ProcessCancelledException}, which its scope does not count as a failure. An operation
     * that already happened keeps its result. Cancellation is not prompt (it happens at park
     * points): a process cancelled before its first step ran still starts, and runs up to its first
     * park point; if it never parks it ends {@link State#SUCCEEDED} with its result. Only a scope that
     * is already cancelled when {@code go} is called starts nothing. Never blocks; idempotent.
     *
     * @return true if this call cancelled the process, false if it was cancelled already
     */
    public boolean cancel() {
        return child.process().cancel();
    }

    /** The process's id, unique in this JVM (see the process dump). */
    public long id() {
        return child.process().id();
    }

    /** The name given to {@code go(name, body)}, or {@code null}. */
    public String name() {
        return child.process().name();
    }

    @Override
    public String toString() {
        String n = name();
        return "task#" + id() + (n != null ? " " + n : "") + "[" + state() + "]";
    }
}
