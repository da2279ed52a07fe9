package io.csp4j;

/**
 * Thrown by the {@code join()} of a {@link Scope} or {@link FirstSuccess} whose deadline passed
 * before its processes ended (they were cancelled), and by {@link Csp#withTimeout}. A timeout is
 * its own type, not a {@link java.util.concurrent.CancellationException}: when it escapes a process
 * of an enclosing scope it is a failure of that process, never a silent cancellation.
 * {@link Csp#withTimeoutOrNull} turns only its own deadline into {@code null}.
 */
public class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which deadline passed, and what was cancelled */
    public DeadlineExceededException(String message) {
        super(message);
    }
}
