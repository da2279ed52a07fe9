package io.csp4j.internal;

import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.Csp;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The channel {@code go(body)} and {@code thread(body)} return, and the body's runner: a channel of
 * buffer 1 that receives the body's non-null result and then closes (see {@code Csp.go}), made
 * only when someone uses it.
 *
 * <p>Overview. Most go blocks' result channels are never read (fire-and-forget processes), or only
 * after the body has ended. So the real channel, a {@link ManyToManyChannel} with a fixed buffer of
 * one, is created on the first operation on this object; a body that ends before that leaves its
 * result in a field, and the channel is created already holding it, closed. A parked process so
 * costs this object (about 24 bytes) instead of a channel, its lock and its buffer (about 150
 * bytes), and the runner needs no lambda of its own.
 *
 * <p>The body is a {@link Processes.Body} or, for {@code go(VoidBody)}, a {@link Csp.VoidBody} run as
 * it is (no adapter object, no adapter frame on the parked stack).
 *
 * <pre>
 * slot (guarded by this)    channel == null              channel != null
 * the body                  not started                  operations go to the channel
 * RUNNING                   body running                 operations go to the channel
 * result or NO_RESULT       kept until the channel       value offered, channel closed
 *                           is made
 * </pre>
 * {@link #finish} and {@link #channel} both decide under this object's monitor, so the result is
 * delivered exactly once whichever comes first. Every operation of {@link Chan} delegates to the
 * channel, with its semantics (parks, blocks, after close, null policy, thread-safety).
 */
final class GoResult<T> implements Chan<T>, Runnable {

    /** {@link #slot} while the body runs. */
    private static final Object RUNNING = new Object();
    /** {@link #slot} when the body ended without a result (null, or an exception). */
    private static final Object NO_RESULT = new Object();

    /**
     * One field for the three phases, to keep a parked process small: the body until it starts,
     * {@link #RUNNING} while it runs, then its result ({@link #NO_RESULT} for none) until a channel
     * takes it. Guarded by this once the body has started.
     */
    private Object slot;
    private volatile ManyToManyChannel<T> channel;

    GoResult(Processes.Body<? extends T> body) {
        this.slot = body;
    }

    /** For {@code go(VoidBody)}: a result channel that only closes. */
    GoResult(Csp.VoidBody body) {
        this.slot = body;
    }

    /** Whether {@code o} is a body that has not started (either kind). */
    private static boolean isBody(Object o) {
        return o instanceof Processes.Body<?> || o instanceof Csp.VoidBody;
    }

    /** Runs the body once: its result goes to the channel; an exception is reported and closes it. */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        Object b;
        synchronized (this) {
            b = slot;
            slot = RUNNING; // a long-lived result channel must not keep the body's captures alive
        }
        T v = null;
        try {
            if (b instanceof Csp.VoidBody vb) {
                vb.run();
            } else {
                v = ((Processes.Body<? extends T>) b).run();
            }
        } catch (Throwable t) {
            JfrEvents.failed(Processes.currentLabel(), t);
            Engine.report(t);
        } finally {
            finish(v);
        }
    }

    private void finish(T v) {
        ManyToManyChannel<T> c;
        synchronized (this) {
            c = channel;
            if (c == null) {
                // A result that is itself a body would read as "not started": box it (a rare case).
                slot = v == null ? NO_RESULT : isBody(v) ? new BoxedBody(v) : v;
                return;
            }
        }
        if (v != null) {
            c.offer(v); // the buffer of 1 is empty: nobody else puts here
        }
        c.close();
    }

    /** The real channel, created (holding the result, closed, if the body has ended) on first use. */
    @SuppressWarnings("unchecked")
    ManyToManyChannel<T> channel() {
        ManyToManyChannel<T> c = channel;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            c = channel;
            if (c == null) {
                c = new ManyToManyChannel<>(Buffers.fixed(1), null, null, 0, "go");
                if (ended()) {
                    if (slot != NO_RESULT) {
                        c.offer((T) (slot instanceof BoxedBody b ? b.body() : slot));
                    }
                    slot = NO_RESULT;
                    c.close();
                }
                channel = c;
            }
            return c;
        }
    }

    /** A result that is a body itself, kept apart from a body that has not started. */
    private record BoxedBody(Object body) {}

    /** Whether the body has ended. Guarded by this. */
    private boolean ended() {
        return slot != RUNNING && !isBody(slot);
    }

    @Override
    public boolean put(T value) {
        return channel().put(value);
    }

    @Override
    public boolean offer(T value) {
        return channel().offer(value);
    }

    @Override
    public CompletionStage<Boolean> putAsync(T value) {
        return channel().putAsync(value);
    }

    @Override
    public void putAsync(T value, Consumer<? super Boolean> callback) {
        channel().putAsync(value, callback);
    }

    @Override
    public T take() {
        return channel().take();
    }

    @Override
    public T poll() {
        return channel().poll();
    }

    @Override
    public CompletionStage<T> takeAsync() {
        return channel().takeAsync();
    }

    @Override
    public void takeAsync(Consumer<? super T> callback) {
        channel().takeAsync(callback);
    }

    @Override
    public void close() {
        channel().close();
    }

    @Override
    public boolean isClosed() {
        ManyToManyChannel<T> c = channel;
        if (c != null) {
            return c.isClosed();
        }
        synchronized (this) {
            return channel != null ? channel.isClosed() : ended();
        }
    }

    @Override
    public String toString() {
        return channel().toString();
    }
}
