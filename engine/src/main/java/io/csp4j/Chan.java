package io.csp4j;

/**
 * A channel: core.async's {@code chan}, Go's {@code chan}. Create one with {@link Csp#chan()} and its
 * overloads, {@link Csp#promiseChan()} or {@link ChanBuilder}.
 *
 * <h2>The same method parks or blocks</h2>
 * {@link #put} and {@link #take} are core.async's {@code >!}/{@code <!} and {@code >!!}/{@code <!!} in
 * one name: inside a process started with {@link Csp#go} they <em>park</em> the process (in loop mode
 * its thread goes on with other work; in virtual mode its virtual thread unmounts); on an ordinary
 * thread they <em>block</em> it. On a dispatcher thread outside any process (an event loop, a pool
 * worker running a callback) they would freeze the scheduler, so they throw
 * {@link IllegalStateException} instead: use {@link Csp#go} or the async forms there.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@code null} is never a value: {@code put(null)} throws
 *       {@code NullPointerException("Can't put null on a channel")}, and {@code take()} returns
 *       {@code null} exactly when the channel is closed and drained.</li>
 *   <li>{@link #close()} is idempotent. Buffered values stay takeable; pending takers get
 *       {@code null}; parked putters stay parked and are delivered to later takers, so closing loses
 *       no value; a put after close returns {@code false}.</li>
 *   <li>At most 1024 pending puts and 1024 pending takes per channel (configurable with
 *       {@link ChanBuilder#maxPending(int)} or {@code -Dcsp4j.maxPending}); one more throws
 *       {@link IllegalStateException}. Dropping, sliding or bigger buffers avoid the limit.</li>
 *   <li>Every method is thread-safe and every operation is linearizable.</li>
 * </ul>
 *
 * {@snippet :
 * Chan<String> c = chan();
 * go(() -> { c.put("ping"); });
 * String v = c.take(); // blocks this thread until the go block puts
 * }
 *
 * @param <T> the type of the values; never {@code null}
 */
public interface Chan<T> extends Channel<T, T> {}
