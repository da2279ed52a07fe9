package io.csp4j;

/**
 * A channel whose transformation turns the values put ({@code I}) into other values taken
 * ({@code O}): what {@code chan(n, xform)} returns, e.g. a {@code Channel<Integer, List<Integer>>}
 * for {@code Xform.partitionAll(3)}. Without a type-changing transformation the two sides agree and
 * the channel is a {@link Chan}. See {@link Chan} for the semantics.
 *
 * @param <I> the type of the values put
 * @param <O> the type of the values taken
 */
public interface Channel<I, O> extends ReadPort<O>, WritePort<I> {

    /** Closes the channel; idempotent. See {@link Chan}. */
    @Override
    void close();

    /** Whether {@link #close()} has been called. */
    @Override
    boolean isClosed();
}
