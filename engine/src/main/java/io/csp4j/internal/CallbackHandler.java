package io.csp4j.internal;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A handler that delivers its result to a callback on a lane of the dispatcher: never on the
 * stack of the thread that completed the operation, never under a lock. Also the waiter of an async
 * {@code alts}. It is its own task, so delivering allocates nothing more.
 */
final class CallbackHandler extends Handler implements Runnable {

    private final Executor lane;
    private final Consumer<Object> callback;
    private Object result;

    @SuppressWarnings("unchecked")
    CallbackHandler(Executor lane, Consumer<?> callback) {
        this.lane = lane;
        this.callback = (Consumer<Object>) callback;
    }

    @Override
    void fire(Object r) {
        result = r;
        try {
            lane.execute(this);
        } catch (RuntimeException e) {
            Engine.report(new IllegalStateException("A callback could not be run: the dispatcher refused the task"
                    + " (closed?)", e));
        }
    }

    @Override
    public void run() {
        try {
            callback.accept(result);
        } catch (Throwable t) {
            Engine.report(t);
        }
    }
}
