package io.csp4j.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@link CompletableFuture} returned by the async channel operations. It is completed by a task
 * on a dispatcher lane, and its {@code ...Async} methods without an executor default to that lane
 * (not the common pool), so dependent work stays on the dispatcher.
 */
public final class DispatchedFuture<T> extends CompletableFuture<T> {

    private final Executor lane;

    public DispatchedFuture(Executor lane) {
        this.lane = lane;
    }

    /** The lane that completes this future. */
    public Executor lane() {
        return lane;
    }

    @Override
    public Executor defaultExecutor() {
        return lane;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new DispatchedFuture<>(lane);
    }
}
