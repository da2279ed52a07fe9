package io.csp4j;

import java.util.concurrent.CancellationException;

/**
 * Thrown at a park point ({@code put}, {@code take}, {@code alts}, {@code sleep}, {@code await},
 * a scope's {@code join}, {@link Csp#checkCancelled()}) of a process that was cancelled: by
 * {@link Task#cancel()}, by its {@link Scope} (a sibling failed, the deadline passed, the scope was
 * closed or cancelled), or through a scope that encloses it.
 *
 * <p>The operation that throws did not happen: a put kept its value, a take left the value in the
 * channel, an alts committed to none of its operations. {@code finally} blocks run through it; cleanup
 * that must park goes in {@link Csp#nonCancellable(Csp.Body)}. Cancellation is sticky: every later
 * park point of the process throws again.
 */
public class ProcessCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    /** @param message what did not happen, and why */
    public ProcessCancelledException(String message) {
        super(message);
    }
}
