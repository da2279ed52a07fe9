package io.csp4j.netty;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.Dispatchers;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Dispatcher} over a Netty {@link EventExecutorGroup}: every process is pinned to one
 * {@link EventExecutor} of the group, so all its steps run on that executor's thread.
 *
 * <p>Overview of implementation. The group is either the application's own (any
 * {@code EventLoopGroup} qualifies), given to {@link #over(EventExecutorGroup)} and never shut down
 * here, or a {@link DefaultEventExecutorGroup} created by the constructors, with daemon threads named
 * {@code csp4j-netty-N} (N counts across dispatchers), which {@link #close()} shuts down. The
 * executors of the group are read once, at construction, into an array: Netty's groups have a fixed
 * set of executors.
 * <ul>
 *   <li><b>Lanes.</b> {@link #lane()} returns the {@link NettyLane} of the caller's own executor when
 *       the caller runs on one ({@link EventExecutor#inEventLoop()}; a linear scan of the array), so
 *       a process started from an event loop stays on it; otherwise that of the calling thread's
 *       home executor, fixed per thread (spread over the group by thread id), so the processes one
 *       thread starts share an event loop.</li>
 *   <li><b>Never inline.</b> Tasks of {@link #execute(Runnable)} and of the lanes go to the
 *       {@link NettyLane} of the executor (the caller's own or its home one), which queues them and
 *       hands the executor one task that runs them in batches, through
 *       {@link EventExecutor#execute(Runnable)}. Netty's single-thread executors only enqueue there,
 *       also when called from their own thread (pinned by {@code NettyExecutorFactsTest}).
 *       {@link ImmediateEventExecutor}, which runs tasks on the caller's stack, is refused.</li>
 *   <li><b>Errors.</b> Every task and timer runs inside a {@code try} (in {@link NettyLane}'s batch,
 *       in {@link NettyTimer}) that catches what it throws and reports it: to the error handler given
 *       at construction, or else to the uncaught-exception handler of the thread that ran it, as a
 *       plain thread would (TCK clause 1.4b; by default the thread group's, which prints the stack
 *       trace).
 *       The catching is required, not a nicety: Netty's I/O event loops catch and log a failing task
 *       ("A task raised an exception"), but {@code DefaultEventExecutor} and {@code DefaultEventLoop}
 *       let it escape their run loop, which logs "Unexpected exception from an event executor" and
 *       <em>terminates the executor</em>; and a failing scheduled task is only stored in its
 *       {@code ScheduledFuture}, which nobody reads. All three are pinned by
 *       {@code NettyExecutorFactsTest}.</li>
 *   <li><b>Timers.</b> {@link #schedule(Duration, Runnable)} uses the chosen executor's own
 *       {@code schedule}, so the task runs on that executor's thread; a zero or negative delay is
 *       "as soon as possible" (Netty clamps it to 0 and still enqueues); cancelling is
 *       {@code ScheduledFuture.cancel(false)}. Over an application's group the dispatcher keeps the
 *       set of its pending timers, to cancel them on close; over its own group, shutting the group
 *       down cancels them.</li>
 *   <li><b>Close.</b> A closed flag makes {@code execute}, {@code schedule} and the lanes throw
 *       {@link RejectedExecutionException}; a timer that was already due when close began finds the
 *       flag and does nothing. An owned group is shut down with no quiet period (tasks accepted before
 *       close still run) and waited for, up to 10 seconds, unless close is called on one of its
 *       threads.</li>
 * </ul>
 *
 * <p>Invariants: a {@link NettyLane} never changes executor, so a process never changes thread; every
 * task runs exactly once, inside a {@code try} that reports what it throws; over an application's
 * group a timer is in the pending set from just before Netty has it until it runs or is cancelled;
 * once closed, nothing new is accepted and no timer body runs.
 *
 * <p>Thread-safe: every method may be called from any thread. No argument may be {@code null},
 * except the optional error handler.
 */
public final class NettyDispatcher implements Dispatcher {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final EventExecutorGroup group;
    /** Whether the group was created here, and so is shut down by {@link #close()}. */
    private final boolean owned;
    /**
     * The executors of the group, read once; {@code lanes[i]} wraps {@code executors[i]}. Never empty:
     * the constructors make at least one executor, and {@link #over} refuses a group without any.
     */
    private final EventExecutor[] executors;
    private final NettyLane[] lanes;
    private final Thread.UncaughtExceptionHandler onError;
    /** The pending timers, tracked only over an application's group; {@code null} over our own. */
    private final Set<NettyTimer> pendingTimers;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A dispatcher over its own group, with one thread per available processor. */
    public NettyDispatcher() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A dispatcher over its own group of {@code nThreads} executors.
     *
     * @param nThreads the number of executors (one thread each), at least 1
     * @throws IllegalArgumentException if {@code nThreads < 1}
     */
    public NettyDispatcher(int nThreads) {
        this(nThreads, null);
    }

    /**
     * A dispatcher over its own group of {@code nThreads} executors that reports failing tasks and
     * timers to {@code onError}.
     *
     * @param nThreads the number of executors (one thread each), at least 1
     * @param onError where a task's exception goes; {@code null} for the uncaught-exception handler of
     *     the thread that ran the task
     * @throws IllegalArgumentException if {@code nThreads < 1}
     */
    public NettyDispatcher(int nThreads, Thread.UncaughtExceptionHandler onError) {
        this(new DefaultEventExecutorGroup(checkThreads(nThreads), new LoopThreadFactory()), true, onError);
    }

    private NettyDispatcher(EventExecutorGroup group, boolean owned, Thread.UncaughtExceptionHandler onError) {
        this.group = group;
        this.owned = owned;
        this.onError = onError;
        List<EventExecutor> found = new ArrayList<>();
        for (EventExecutor e : group) {
            found.add(e);
        }
        this.executors = found.toArray(EventExecutor[]::new);
        this.lanes = new NettyLane[executors.length];
        for (int i = 0; i < executors.length; i++) {
            lanes[i] = new NettyLane(this, executors[i]);
        }
        this.pendingTimers = owned ? null : ConcurrentHashMap.newKeySet();
    }

    /**
     * A dispatcher over the application's own group, such as an {@code EventLoopGroup}.
     * {@link #close()} cancels the timers set through this dispatcher but leaves the group running.
     *
     * @param group a running group whose executors queue tasks (any Netty event loop group,
     *     {@code DefaultEventExecutorGroup}, a single {@code EventLoop}); not {@code null}
     * @return a new dispatcher; failing tasks are reported to the uncaught-exception handler of the
     *     thread that ran them
     * @throws NullPointerException if {@code group} is null
     * @throws IllegalArgumentException if the group is shutting down, has no executors, or is the
     *     {@link ImmediateEventExecutor} (which would run tasks on the caller's stack)
     */
    public static NettyDispatcher over(EventExecutorGroup group) {
        return over(group, null);
    }

    /**
     * Like {@link #over(EventExecutorGroup)}, reporting failing tasks and timers to {@code onError}.
     *
     * @param group a running group; not {@code null}
     * @param onError where a task's exception goes; {@code null} for the uncaught-exception handler of
     *     the thread that ran the task
     * @return a new dispatcher
     * @throws NullPointerException if {@code group} is null
     * @throws IllegalArgumentException as for {@link #over(EventExecutorGroup)}
     */
    public static NettyDispatcher over(EventExecutorGroup group, Thread.UncaughtExceptionHandler onError) {
        Objects.requireNonNull(group, "group: pass the application's EventExecutorGroup (e.g. an EventLoopGroup)");
        if (group instanceof ImmediateEventExecutor) {
            throw new IllegalArgumentException("ImmediateEventExecutor runs tasks on the caller's stack, which a"
                    + " csp4j Dispatcher must never do: pass an event loop group or a DefaultEventExecutorGroup");
        }
        if (group.isShuttingDown()) {
            throw new IllegalArgumentException("The EventExecutorGroup is shutting down or shut down: pass a"
                    + " running group to NettyDispatcher.over(...)");
        }
        NettyDispatcher d = new NettyDispatcher(group, false, onError);
        if (d.executors.length == 0) {
            throw new IllegalArgumentException("The EventExecutorGroup has no executors: " + group);
        }
        return d;
    }

    @Override
    public String name() {
        return NettyDispatcherProvider.NAME;
    }

    /** {@return the group this dispatcher runs on (its own, or the one given to {@code over})} */
    public EventExecutorGroup group() {
        return group;
    }

    /** {@return whether the group was created by this dispatcher, which then shuts it down on close} */
    public boolean ownsGroup() {
        return owned;
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Runs {@code task} later on an executor of the group: the caller's own when it runs on one,
     * otherwise the calling thread's home executor. Never on the caller's stack.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the dispatcher is closed or the group shut down
     */
    @Override
    public void execute(Runnable task) {
        lane().execute(task);
    }

    /**
     * Runs {@code task} once on an executor of the group (the caller's own when it runs on one,
     * otherwise the calling thread's home executor), no earlier than {@code delay} from now.
     *
     * @throws NullPointerException if an argument is null
     * @throws RejectedExecutionException if the dispatcher is closed or the group shut down
     */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        checkOpen();
        long nanos = Math.max(0, saturatedNanos(delay));
        NettyTimer timer = new NettyTimer(this, task);
        // Track before scheduling, so that a timer firing at once finds itself in the set to leave it.
        if (pendingTimers != null) {
            pendingTimers.add(timer);
        }
        try {
            EventExecutor on = executorForCaller();
            timer.start(on, on.schedule(timer, nanos, TimeUnit.NANOSECONDS));
        } catch (RuntimeException e) {
            forget(timer);
            throw e;
        }
        // A close() that ran meanwhile may have missed this timer (its future was not set yet).
        if (closed.get()) {
            timer.cancel();
        }
        return timer;
    }

    /**
     * The lane of a new process: the caller's own executor when it runs on one of the group,
     * otherwise the calling thread's home executor (fixed per thread, so the processes one thread
     * starts share an event loop). Every task given to the lane runs on that executor's
     * thread, in submission order for Netty's single-thread executors.
     *
     * @return the lane; never {@code null}
     */
    @Override
    public NettyLane lane() {
        for (NettyLane lane : lanes) {
            if (lane.executor().inEventLoop()) {
                return lane;
            }
        }
        return lanes[home()];
    }

    /**
     * The index of the calling thread's home executor, for a thread that runs on none of the group:
     * fixed per thread and spread by thread id, so that the processes one thread starts share an
     * event loop and hand values to each other without waking another thread, while different
     * threads spread over the group (docs/adr/0009-lanes-that-share-work.md).
     */
    private int home() {
        return Dispatchers.homeIndex(lanes.length);
    }

    /**
     * {@code true} when the calling thread is the thread of one of the group's executors (for an
     * application's group, also its threads that this dispatcher never used).
     */
    @Override
    public boolean isDispatcherThread() {
        for (EventExecutor e : executors) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the dispatcher: later submissions are rejected and pending timers are cancelled. An
     * owned group is shut down (tasks already accepted still run) and, unless called on one of its
     * threads, waited for up to 10 seconds; an application's group is left running. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (pendingTimers != null) {
                for (NettyTimer t : pendingTimers) {
                    t.cancel();
                }
            }
            if (owned) {
                group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        if (owned && !isDispatcherThread()) {
            // Keeps the caller's interrupt status (Netty re-asserts it after waiting).
            group.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "NettyDispatcher[" + (owned ? "own" : "application") + " group, executors=" + executors.length
                + (isClosed() ? ", closed]" : "]");
    }

    /** Reports what a task or timer threw, on the thread that ran it; never throws itself. */
    void report(Throwable error) {
        Thread t = Thread.currentThread();
        try {
            (onError != null ? onError : t.getUncaughtExceptionHandler()).uncaughtException(t, error);
        } catch (Throwable ignored) {
            // A failing error handler must not take the event loop down either.
        }
    }

    /** Drops a timer that fired or was cancelled from the set of pending ones. */
    void forget(NettyTimer timer) {
        if (pendingTimers != null) {
            pendingTimers.remove(timer);
        }
    }

    /** How many timers set over an application's group are still pending (for tests); 0 over our own. */
    int pendingTimerCount() {
        return pendingTimers == null ? 0 : pendingTimers.size();
    }

    /** @throws RejectedExecutionException if this dispatcher is closed */
    void checkOpen() {
        if (closed.get()) {
            throw new RejectedExecutionException("This csp4j NettyDispatcher is closed; tasks and timers can no"
                    + " longer be submitted to it");
        }
    }

    private EventExecutor executorForCaller() {
        for (EventExecutor e : executors) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return executors[home()];
    }

    private static int checkThreads(int nThreads) {
        if (nThreads < 1) {
            throw new IllegalArgumentException("nThreads must be at least 1, was " + nThreads);
        }
        return nThreads;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Daemon {@link FastThreadLocalThread}s named {@code csp4j-netty-N}. */
    private static final class LoopThreadFactory extends DefaultThreadFactory {
        LoopThreadFactory() {
            super("csp4j-netty", true);
        }

        @Override
        protected Thread newThread(Runnable r, String ignoredName) {
            return new FastThreadLocalThread(threadGroup, r, "csp4j-netty-" + THREADS.getAndIncrement());
        }
    }
}
