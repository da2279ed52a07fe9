package io.csp4j.netty;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lane of a process on a {@link NettyDispatcher}: one {@link EventExecutor} of the group, so every
 * step of the process runs on that executor's thread, in submission order.
 *
 * <p>{@link #execute(Runnable)} obeys the same contract as {@link NettyDispatcher#execute(Runnable)}:
 * never on the caller's stack (also from the executor's own thread), each task exactly once, in
 * submission order (across threads: in happens-before order), a throwing task reported and later
 * tasks still run.
 *
 * <p>Overview of implementation. The lane does not hand each task to Netty: it keeps its own queue
 * and gives the executor one task, the <em>drain</em>, that runs the lane's tasks in a batch
 * (docs/adr/0031-netty-lanes-drain-their-own-queue-idle-cpu-measured-settled.md). A process that
 * resumes another on the same lane, which is every hand-off between two processes of one event
 * loop, then costs a push on a plain {@link ArrayDeque} instead of a trip through Netty's task queue
 * (a lock and a signal for a {@code DefaultEventExecutor}, an atomic offer and a wake-up check for
 * an I/O loop) and the loop's polling between tasks.
 * <ul>
 *   <li><b>Two queues.</b> {@code local} holds the tasks that a task of this lane submits while the
 *       drain runs it, provided that {@code inbox} is empty at that moment; it is touched only by the
 *       thread that runs the drain. {@code inbox} (a lock-free queue) holds every other task: from
 *       other threads, from the executor's thread outside the drain (a Netty handler, a timer), and
 *       from the drain when {@code inbox} already has tasks. Invariant: every task in {@code local}
 *       was submitted before every task in {@code inbox}, so running {@code local} first and then
 *       {@code inbox} runs tasks in submission order; a task another thread submitted before (in
 *       happens-before order) the drain's submission is in {@code inbox} when the drain looks, so
 *       the drain's task goes behind it (TCK clause 1.5b).</li>
 *   <li><b>States.</b> {@code scheduled} is {@code false} while the lane is <em>idle</em> (both queues
 *       empty, no drain in Netty's queue or running) and {@code true} while a drain is queued or
 *       running. The submitter that turns it from {@code false} to {@code true} hands the drain to
 *       the executor. A drain that finds both queues empty sets it to {@code false}, then looks at
 *       {@code inbox} again and takes the lane back if a task arrived in between, so no task is
 *       left behind with no drain to run it.</li>
 *   <li><b>Fairness.</b> A drain runs at most {@value #BATCH} tasks, then, if tasks are left, queues
 *       itself again behind whatever Netty has (I/O, timers, other tasks) and returns, so a busy lane
 *       never keeps its event loop from its own work. While the executor shuts down it does not
 *       yield: it runs everything, so tasks accepted before shutdown still run.</li>
 *   <li><b>Errors.</b> Each task runs in its own {@code try}; what it throws goes to
 *       {@link NettyDispatcher#report(Throwable)} and the drain goes on with the next task.</li>
 * </ul>
 *
 * <p>Thread-safe. Obtained from {@link NettyDispatcher#lane()}, never constructed directly; one lane
 * per executor of the dispatcher.
 */
public final class NettyLane implements Executor {

    /** Tasks one drain runs before it yields the executor to Netty's own work. */
    static final int BATCH = 256;

    private final NettyDispatcher owner;
    private final EventExecutor executor;
    /** Tasks submitted while the drain runs, on its thread, with {@link #inbox} empty; drainer-only. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** Every other task. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Whether a drain is queued on the executor or running (see the overview). */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /**
     * The thread running the drain, {@code null} between drains. Plain: only the thread that wrote
     * itself here can read itself back (its own later write of {@code null} hides it from itself).
     */
    private Thread drainer;
    private final Runnable drain = this::drain;

    NettyLane(NettyDispatcher owner, EventExecutor executor) {
        this.owner = owner;
        this.executor = executor;
    }

    /**
     * Runs {@code task} later on this lane's executor, after every task submitted to this lane before
     * it. Never on the caller's stack, also when called from a task of this lane.
     *
     * {@snippet :
     * NettyLane lane = dispatcher.lane();
     * lane.execute(() -> System.out.println("first"));
     * lane.execute(() -> System.out.println("second")); // always after "first", on the same thread
     * }
     *
     * @param task the task; not {@code null}
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the dispatcher is closed or the executor shut down
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        owner.checkOpen();
        if (drainer == Thread.currentThread() && inbox.isEmpty()) {
            local.addLast(task);
            return;
        }
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("The Netty executor of this csp4j lane is shut down: " + executor);
        }
        inbox.offer(task);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drain);
            } catch (RuntimeException e) {
                // Netty refused the drain (its executor terminated meanwhile): the task was not accepted.
                inbox.remove(task);
                scheduled.set(false);
                throw e;
            }
        }
    }

    /** {@return the Netty executor behind this lane (for Netty APIs that want one, such as promises)} */
    public EventExecutor executor() {
        return executor;
    }

    /** {@return how many tasks wait in this lane's own queues (for tests; call it on the lane's thread)} */
    int queued() {
        return local.size() + inbox.size();
    }

    @Override
    public String toString() {
        return "NettyLane[" + executor + "]";
    }

    /** The drain: runs the lane's tasks until none is left or the batch is used up (see the overview). */
    private void drain() {
        boolean yieldWhenFull = true;
        for (;;) {
            drainer = Thread.currentThread();
            boolean full;
            try {
                full = runBatch(yieldWhenFull && !executor.isShuttingDown());
            } finally {
                drainer = null;
            }
            if (full) {
                try {
                    executor.execute(drain);
                    return;
                } catch (RuntimeException terminated) {
                    // Refused only once the executor has stopped taking tasks, i.e. during its final
                    // run of what it has: finish ours here instead, as it would have.
                    yieldWhenFull = false;
                    continue;
                }
            }
            scheduled.set(false);
            // A task offered between the last poll and the line above found the lane still scheduled.
            if (inbox.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /**
     * Runs tasks, {@code local} first, until both queues are empty ({@code false}) or, if
     * {@code bounded}, {@value #BATCH} tasks ran and some are left ({@code true}).
     */
    private boolean runBatch(boolean bounded) {
        int budget = BATCH;
        for (;;) {
            Runnable task = local.pollFirst();
            if (task == null) {
                task = inbox.poll();
                if (task == null) {
                    return false;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                owner.report(t);
            }
            if (bounded && --budget == 0) {
                return !local.isEmpty() || !inbox.isEmpty();
            }
        }
    }
}
