package io.csp4j.spi;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The scheduler the csp4j engine runs on: the only place where the engine meets threads.
 *
 * <p>The engine never creates a thread pool of its own; every step of every process, every
 * callback of an asynchronous channel operation and every timer goes through a {@code Dispatcher}.
 * A backend implements this interface over its own scheduler (a {@code ForkJoinPool}, Vert.x
 * contexts, Netty event executors, ...) and is found through a {@link DispatcherProvider}.
 *
 * <h2>Contract</h2>
 * The numbered clauses are those of the TCK ({@code tck/SPEC.md}), which checks each of them.
 * <ol>
 *   <li><b>Never inline.</b> {@link #execute(Runnable)} runs the task later, never on the caller's
 *       stack, even when called from one of the dispatcher's own threads.</li>
 *   <li><b>Exactly once.</b> Every task accepted by {@code execute} runs exactly once (until
 *       {@link #close()}).</li>
 *   <li><b>Happens-before.</b> Actions before {@code execute(task)} happen-before the task runs.</li>
 *   <li><b>Isolation.</b> A task that throws does not stop later tasks, and what it threw is
 *       reported, exactly once, to the uncaught-exception handler of the thread that ran it
 *       ({@code t.getUncaughtExceptionHandler().uncaughtException(t, error)}, as a plain thread would
 *       report it), unless the application gave the backend a handler of its own. Swallowing it, as a
 *       {@code ScheduledThreadPoolExecutor} does, is a fault: a failure nobody sees.</li>
 *   <li><b>Lanes.</b> {@link #lane()} gives the executor on which a new process runs its steps. The
 *       engine submits at most one step of a process at a time, so a lane never runs two steps of
 *       one process concurrently. A lane runs all its tasks on <em>one thread</em> (an event loop),
 *       in submission order: loop-mode processes are continuations, and a continuation that moved
 *       between threads could see a stale {@code Thread.currentThread()} in JIT-compiled frames
 *       (and with it the wrong ThreadLocals and lock owners). The engine reports a lane that breaks
 *       this; such a backend can only run processes in virtual mode. {@code lane()} called on a
 *       lane's thread is that thread's lane (5c). A new process starts through
 *       {@link #spawn(Runnable)}, whose step runs on some lane's thread (5d): until it has started a
 *       process may still be placed on any lane, after that it never leaves its lane. Optionally
 *       (the TCK's {@code HOME_LANES}, 5e; the three bundled backends), what one ordinary thread
 *       starts runs on one thread: its lanes, {@code execute}, {@code schedule} and, while no lane
 *       is busy, {@code spawn}, so that the processes a {@code main} starts talk without waking
 *       another thread.</li>
 *   <li><b>Timers.</b> {@link #schedule(Duration, Runnable)} runs the task no earlier than the
 *       delay; a zero delay works; a task cancelled before it fires never runs, and a cancelled timer
 *       releases its task: once {@link Cancellable#cancel()} has returned {@code true}, the dispatcher
 *       keeps nothing of the timer, so that cancelled timers do not pile up until their deadlines;
 *       also while the thread that owns the timer sleeps, without any further task (14a: a backend
 *       whose loop finishes a cancellation made elsewhere only when it next runs wakes it).</li>
 *   <li><b>Own threads.</b> {@link #isDispatcherThread()} is {@code true} exactly on the threads
 *       where blocking would stall this dispatcher.</li>
 *   <li><b>Close.</b> {@link #close()} cancels pending timers and ends the threads the dispatcher
 *       created itself (never those of an application-owned event loop it was given). Called on any
 *       other thread it waits for the running tasks and for those threads to end; called on one of
 *       its own threads (from a task) it neither waits for itself nor deadlocks: it returns at once
 *       and the threads end after that task has returned.</li>
 *   <li><b>Daemon threads.</b> The threads a dispatcher creates are daemon threads, so that a
 *       program whose {@code main} returns exits even though nobody closed the dispatcher (the
 *       engine's default dispatcher is created on first use and never closed by the user).</li>
 *   <li><b>Name.</b> {@link #name()} is short, not blank, and stable.</li>
 *   <li><b>Over an application's threads.</b> A dispatcher over resources the application owns
 *       (an event-loop group, a {@code Vertx}) keeps clauses 1 to 7 on those threads; its
 *       {@link #close()} cancels its timers (and releases their tasks), rejects new tasks, returns
 *       without waiting for threads it does not own, and leaves the resources running.</li>
 *   <li><b>Idle.</b> With nothing to do, the dispatcher's threads park or wait: they do not spin or
 *       poll (the engine's default dispatcher lives as long as the program).</li>
 * </ol>
 *
 * <p>All methods are thread-safe. No method accepts {@code null}.
 */
public interface Dispatcher extends AutoCloseable {

    /**
     * A short name for logs and errors, such as {@code "forkjoin"}: not blank, without white space
     * around it, at most 64 characters, and the same on every call, from any thread, also after
     * {@link #close()} (clause 10).
     *
     * @return the name; never {@code null}
     */
    String name();

    /**
     * Runs {@code task} later, never on the caller's stack.
     *
     * @param task the task; not {@code null}
     * @throws NullPointerException if {@code task} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} once, no earlier than {@code delay} from now. A zero or negative delay means
     * "as soon as possible", still never on the caller's stack. Every {@code Duration} is accepted,
     * also one too long for a {@code long} of nanoseconds (about 292 years), which
     * {@code Duration.toNanos()} would refuse: such a timer never fires in practice.
     *
     * @param delay how long to wait; not {@code null}
     * @param task the task, which should be short (hand long work to {@link #execute(Runnable)})
     * @return a handle whose {@link Cancellable#cancel()} prevents the task from running
     * @throws NullPointerException if an argument is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * The executor on which a process started from the calling thread runs its steps.
     *
     * <p>On an event-loop backend this is the caller's own event loop when it is called on one (so
     * a go block started from a verticle stays on the verticle's context), otherwise a loop chosen by
     * the dispatcher: the bundled backends choose the calling thread's <em>home</em> loop, the same on
     * every call from that thread ({@link Dispatchers#homeIndex(int)}; TCK clause 1.5e), so that the
     * processes one thread starts share a loop. A lane is one thread (clause 5): the ForkJoin default
     * gives each process one of its single-thread loops. Tasks given to a lane obey the same contract as
     * {@link #execute(Runnable)}.
     *
     * @return the lane; never {@code null}
     */
    Executor lane();

    /**
     * Starts a new process: runs {@code firstStep} once, later, never on the caller's stack, on the
     * thread of one of this dispatcher's lanes. The step finds out which by calling {@link #lane()}
     * (clause 5c: on a lane's thread, that thread's lane), and every later step of the process goes
     * to that lane.
     *
     * <p>A process that has not started has no frames, so the dispatcher may defer the choice of
     * lane until the step runs, and may move a step that has not started from a busy lane to an idle
     * one (the ForkJoin default does both). The default runs the step on {@link #lane()}, the lane a
     * process started from the calling thread would get.
     *
     * <p>Moving is optional, but a backend that does it to run work in parallel (its TCK class
     * declares {@code MIGRATES_UNSTARTED_WORK}, clauses 13a-d) must do it reliably: a process that has
     * not started must not stay stuck behind a task that holds its lane, whether that task is blocked
     * in Java, busy on the CPU or blocked in native I/O (which looks runnable and uses no CPU), and
     * whether the process was spawned from an ordinary thread or from that lane's own thread just
     * before its task blocked; processes spawned in bulk from one thread must come to run in parallel.
     * How soon work moves is the backend's policy; it must move only processes that have not started,
     * and each exactly once.
     *
     * @param firstStep the first step of a new process; not {@code null}
     * @throws NullPointerException if {@code firstStep} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed
     */
    default void spawn(Runnable firstStep) {
        java.util.Objects.requireNonNull(firstStep, "firstStep");
        lane().execute(firstStep);
    }

    /**
     * Whether the calling thread is one of this dispatcher's own threads, where a blocking call
     * would stall the dispatcher (an event loop, a pool worker, the timer thread).
     */
    boolean isDispatcherThread();

    /**
     * Stops the dispatcher: pending timers are cancelled and never run, later submissions are
     * rejected, and the threads it created itself end. Called on a thread that is not the
     * dispatcher's, it returns once the running tasks have finished and those threads have ended (a
     * backend may bound the wait); called on one of the dispatcher's own threads, it returns at once,
     * without waiting for the thread it runs on, and the threads end after the calling task returns.
     * Resources it was given (an application's {@code Vertx} or {@code EventLoopGroup}) are left
     * running. Idempotent.
     */
    @Override
    void close();
}
