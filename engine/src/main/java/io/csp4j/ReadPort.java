package io.csp4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The taking side of a channel (core.async's {@code ReadPort}; Go's {@code <-chan T}). Every
 * {@link Chan} is one; {@link Channel} separates the two sides when a transformation changes the
 * type. See {@link Chan} for the semantics shared by all channels.
 *
 * <p>A read port is {@link Iterable}: {@code for (T v : port)} takes values until the channel is
 * closed and drained, Go's {@code for v := range ch} (see {@link #iterator()}).
 *
 * @param <T> the type of the values taken; never {@code null}
 */
public interface ReadPort<T> extends Iterable<T> {
    /**
     * Takes a value, waiting (parking in a process, blocking elsewhere) until one is available or the
     * channel is closed and drained.
     *
     * @return the value, or {@code null} if the channel is closed and drained
     * @throws IllegalStateException on a dispatcher thread outside a process, or if 1024 takes are
     *     already pending on this channel
     * @throws CspInterruptedException if a blocked (non-process) thread is interrupted before a value
     *     arrives; no value was then taken
     */
    T take();

    /**
     * Takes a value only if one is available at once; never waits and never enqueues. core.async
     * {@code poll!}.
     *
     * @return the value, or {@code null} if none is available now (or the channel is closed and
     *     drained)
     */
    T poll();

    /**
     * Takes a value without waiting; the stage completes with what {@link #take} would return
     * ({@code null} when closed and drained). Dependent actions run on the dispatcher.
     *
     * @throws IllegalStateException if 1024 takes are already pending
     */
    CompletionStage<T> takeAsync();

    /**
     * Takes a value without waiting and calls {@code callback} (on the dispatcher, never on the
     * caller's stack) with it, or with {@code null} when the channel is closed and drained.
     * core.async {@code take!}.
     *
     * @param callback receives the value; not {@code null}
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if 1024 takes are already pending
     */
    void takeAsync(Consumer<? super T> callback);

    /**
     * Closes the channel; idempotent. Buffered values and parked putters are still delivered to later
     * takers; pending takers with nothing to receive get {@code null}; later puts return
     * {@code false}. Never waits.
     */
    void close();

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

    /**
     * Takes a value, waiting at most {@code limit} (parking in a process, blocking elsewhere): one
     * call for Go's {@code select} with {@code time.After} and kotlinx's
     * {@code withTimeoutOrNull { receive() }}. The result tells the three outcomes apart, so a time
     * limit is never mistaken for a closed channel (docs/adr/0017). A value already available wins
     * over an expired limit; a zero limit takes only what is available at once.
     *
     * <p>When the limit passes first, nothing was taken: the pending take is withdrawn (as the losing
     * side of an {@code alts}), so no value is lost. Thread-safe, like every channel operation.
     *
     * {@snippet :
     * TakeResult<String> r = replies.takeWithin(Duration.ofMillis(80));
     * if (r.isValue()) System.out.println(r.value());
     * else if (r.isTimedOut()) System.out.println("timed out");
     * else System.out.println("closed");
     * }
     *
     * @param limit the longest wait; not {@code null}, not negative
     * @return {@link TakeResult.Value} with the value, {@link TakeResult.Closed} if the channel is
     *     closed and drained, or {@link TakeResult.TimedOut}
     * @throws NullPointerException if {@code limit} is null
     * @throws IllegalArgumentException if {@code limit} is negative
     * @throws IllegalStateException on a dispatcher thread outside a process, or if the channel's
     *     pending-take limit is reached
     * @throws CspInterruptedException if a blocked (non-process) thread is interrupted first; nothing
     *     was taken then
     */
    default TakeResult<T> takeWithin(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("takeWithin(" + limit + "): the time limit must not be negative");
        }
        ReadPort<Object> deadline = Csp.timeout(limit);
        AltResult r = Csp.altsPriority(this, deadline); // priority: a ready value beats an expired limit
        if (r.channel() == deadline) {
            return new TakeResult.TimedOut<>();
        }
        T v = r.valueAs();
        return v == null ? new TakeResult.Closed<>() : new TakeResult.Value<>(v);
    }

    /**
     * An iterator that takes values until the channel is closed and drained, so that
     * {@code for (String s : ch)} is Go's {@code for s := range ch} and kotlinx's
     * {@code for (s in channel)}. {@link Iterator#hasNext()} does the take: it parks in a process
     * and blocks elsewhere (and throws {@link IllegalStateException} on a dispatcher thread outside a
     * process, like {@link #take()}); it returns {@code false} once the channel is closed and drained.
     *
     * <p><b>Leaving early</b> ({@code break}, {@code return}, an exception) loses nothing and closes
     * nothing: a for-each takes a value only when it is about to run the body with it, so the values
     * not yet taken stay in the channel for other takers, and the channel stays open (close it if the
     * producer should stop). Only calling {@code hasNext()} and then dropping the iterator drops the
     * one value that call took.
     *
     * <p>Each iterator is for one thread (or process) at a time; several iterators over one channel
     * share its values, each value going to exactly one. {@code remove()} is not supported.
     *
     * {@snippet :
     * Chan<String> c = chan();
     * go(() -> { c.put("a"); c.put("b"); c.close(); });
     * for (String s : c) System.out.println(s);   // a, b; the loop ends when c is closed
     * }
     *
     * @return a new iterator over the values still to come
     */
    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                next = take();
                done = next == null;
                return !done;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("The channel is closed and drained");
                }
                T v = next;
                next = null;
                return v;
            }
        };
    }
}
