package io.csp4j.tck;

/**
 * Optional properties of a dispatcher's lanes that the TCK checks only when a backend declares them
 * (in {@link TckSupport#capabilities()}). A clause that needs a capability the backend does not
 * declare is reported as <em>skipped</em>, never as passed.
 *
 * <p>The three bundled backends declare {@code THREAD_AFFINITY}, {@code FIFO_LANES} and
 * {@code HOME_LANES} (ForkJoin's lanes are single-thread loops); the ForkJoin default also declares
 * {@code MIGRATES_UNSTARTED_WORK} (on a machine with two cores or more). A backend
 * whose lanes are a shared pool declares none; it can then run processes only in virtual mode,
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
    FIFO_LANES,

    /**
     * What one ordinary thread (one that is not the dispatcher's) starts runs on one thread: the
     * tasks of the lanes {@link io.csp4j.spi.Dispatcher#lane() lane()} returns there, of
     * {@code execute} and of {@code schedule} from there, and the processes {@code spawn} starts from
     * there while no lane is busy (SPEC.md clause 1.5e; docs/adr/0027), and also while that thread's
     * lane works through a queue of short tasks: a backend that moves unstarted processes does not
     * move them off a lane that makes progress before they have waited 20 ms (clause 1.5f;
     * docs/adr/0033). Processes that a {@code main} or a request thread starts then hand values to
     * each other without waking another thread. A backend that gives each new process the next lane
     * round robin does not declare it.
     */
    HOME_LANES,

    /**
     * A process that has not started yet never stays stuck behind a lane that cannot reach it: when
     * the lane it was placed on is held by a task (blocked in Java, busy on the CPU, blocked in native
     * I/O), the dispatcher starts it on another lane, and processes spawned in bulk from one thread run
     * in parallel, also when spawned onto a lane that has just run out of work (SPEC.md clauses
     * 1.13a-e). Only a dispatcher with at least two lanes can declare it;
     * a dispatcher whose lanes are fixed event loops (Netty, Vert.x) does not. How soon work moves is
     * the backend's policy; the TCK checks only that it does (within a quarter of its patience).
     */
    MIGRATES_UNSTARTED_WORK
}
