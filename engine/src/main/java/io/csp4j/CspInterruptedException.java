package io.csp4j;

/**
 * Thrown when a thread blocked in a channel operation outside any process (a {@link Chan#take()},
 * {@link Chan#put}, {@link Csp#alts}, {@link Csp#sleep} or {@link Csp#await} on an ordinary thread)
 * is interrupted before the operation completes. The operation did not happen: nothing was taken
 * and nothing was put. The thread's interrupt status is set again when this is thrown.
 */
public final class CspInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was interrupted
     */
    public CspInterruptedException(String message) {
        super(message);
    }
}
