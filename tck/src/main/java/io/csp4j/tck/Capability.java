package io.csp4j.tck;

/**
 * Optional properties of a dispatcher's lanes that the TCK checks only when a backend declares them
 * (in {@link TckSupport#capabilities()}). A clause that needs a capability the backend does not
 * declare is reported as <em>skipped</em>, never as passed.
 *
 * <p>The three bundled backends declare both (ForkJoin's lanes are single-thread loops). A backend
 * whose lanes are a shared pool declares neither; it can then run processes only in virtual mode,
 * because loop-mode continuations must not move between threads (docs/adr/0007), and the TCK skips
 * its loop-mode clauses.
 */
public enum Capability {

    /**
     * Every task given to one {@link io.csp4j.spi.Dispatcher#lane() lane} runs on one and the same
     * thread, one at a time, so a process never changes thread (SPEC.md clauses 1.5a and 2.36).
     */
    THREAD_AFFINITY,

    /**
     * Tasks given to one lane from one thread run in submission order (SPEC.md clause 1.5b).
     */
    FIFO_LANES
}
