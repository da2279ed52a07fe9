package io.csp4j.forkjoin;

import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.Dispatchers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded default {@link Dispatcher}: one lane (a thread with its own task queues) per
 * processor, plus one timer thread.
 *
 * <p>Overview of implementation. Each lane ({@code csp4j-forkjoin-N}, a daemon thread, N counting
 * across dispatchers) runs its tasks one at a time in submission order; a lane that runs out of work
 * spins briefly before it parks, so that a hand-off from another lane a few microseconds later costs
 * no wake-up (at most half the lanes spin at once, and an idle program spins once and then parks).
 * A task that throws goes to the uncaught-exception handler and the lane goes on.
 *
 * <p>Placement (docs/adr/0009-lanes-that-share-work.md):
 * <ul>
 *   <li>{@link #lane()} and {@link #execute(Runnable)} on a lane's thread use that lane. From any
 *       other thread they use the calling thread's <em>home lane</em>, fixed per thread, so that the
 *       processes one thread starts (a {@code main}, a test, a request thread) share a lane and talk
 *       without waking a thread, and different threads spread over the lanes.</li>
 *   <li>{@link #spawn(Runnable)}, the start of a new process, places it the same way, but a process
 *       that has not started yet may be stolen: a lane with nothing to do takes half of the processes
 *       that have waited more than 250 µs to start on a lane busy with something else. Work that is
 *       started in bulk (64 CPU-bound go blocks from {@code main}) so spreads over every core, while
 *       a pair that starts and talks at once (ping-pong) stays together. A started process never
 *       leaves its lane: loop mode needs that (docs/adr/0007-single-thread-lanes.md).</li>
 *   <li>A timer's task runs on the lane of the thread that set the timer (its home lane from
 *       elsewhere). Timers live on one daemon thread, {@code csp4j-forkjoin-timer-N}, a
 *       {@link ScheduledThreadPoolExecutor} that only moves due tasks over to their lane (user code
 *       never runs on it); cancelled timers leave its queue at once.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} shuts the timer down at once (pending timers never run), rejects
 * new tasks, lets the tasks already queued finish, and waits up to 10 seconds for the lanes to end
 * (unless called from one of them), also when the caller is interrupted (its interrupt flag stays set).
 */
public final class ForkJoinDispatcher implements Dispatcher {

    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final AtomicInteger TIMERS = new AtomicInteger();
    /** How long {@link #close()} waits for the lanes and the timer thread to end. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The lanes, by index (package-private for the module's tests, which watch their threads). */
    final Lane[] lanes;
    private final ScheduledThreadPoolExecutor timer;
    private final Thread.UncaughtExceptionHandler onError;
    private final AtomicInteger spinners = new AtomicInteger();
    private final int maxSpinners;
    private volatile Thread timerThread;
    private volatile boolean closed;

    /** A dispatcher with one lane per available processor. */
    public ForkJoinDispatcher() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A dispatcher with {@code parallelism} lanes; {@code 1} gives a single-thread dispatcher.
     *
     * @param parallelism the number of lanes (threads), at least 1
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism) {
        this(parallelism, null);
    }

    /**
     * A dispatcher with {@code parallelism} lanes that reports failing tasks to {@code onError}.
     *
     * @param parallelism the number of lanes (threads), at least 1
     * @param onError where a task's exception goes; {@code null} for the lane thread's own handler
     *     (by default its thread group's, which prints the stack trace)
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public ForkJoinDispatcher(int parallelism, Thread.UncaughtExceptionHandler onError) {
        this(parallelism, onError, true);
    }

    /**
     * With {@code startLanes} false, the lanes' threads are never started: the module's step-by-step
     * tests play each lane's thread themselves ({@code LaneWakeTest}, {@code LaneIdleTest}; ADR 0040).
     * Such a dispatcher starts no thread, and is not closed: {@link #close()} joins the lanes' threads,
     * which throws for a thread never started.
     */
    ForkJoinDispatcher(int parallelism, Thread.UncaughtExceptionHandler onError, boolean startLanes) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.onError = onError;
        this.maxSpinners = Math.max(1, parallelism / 2);
        this.lanes = new Lane[parallelism];
        for (int i = 0; i < parallelism; i++) {
            lanes[i] = new Lane(this, i, "csp4j-forkjoin-" + WORKERS.getAndIncrement());
        }
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "csp4j-forkjoin-timer-" + TIMERS.getAndIncrement());
            t.setDaemon(true);
            timerThread = t;
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // close() uses shutdownNow(), which drops the queued timers
        if (startLanes) {
            for (Lane l : lanes) {
                l.start();
            }
        }
    }

    @Override
    public String name() {
        return ForkJoinDispatcherProvider.NAME;
    }

    /** The number of lanes (threads running tasks). */
    public int parallelism() {
        return lanes.length;
    }

    /** Runs {@code task} on the caller's lane, or on the calling thread's home lane. */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        laneOfCaller().execute(task);
    }

    /**
     * Starts a process on the caller's lane (or the calling thread's home lane); until it starts, an
     * idle lane may take it over.
     */
    @Override
    public void spawn(Runnable firstStep) {
        Objects.requireNonNull(firstStep, "firstStep");
        laneOfCaller().spawn(firstStep);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw rejected();
        }
        long nanos = Math.max(0, saturatedNanos(delay));
        Timer t = new Timer(laneOfCaller(), task);
        t.future = timer.schedule(t, nanos, TimeUnit.NANOSECONDS);
        return t;
    }

    /** The caller's own lane if it runs on one of ours, else the calling thread's home lane. */
    @Override
    public Executor lane() {
        return laneOfCaller();
    }

    @Override
    public boolean isDispatcherThread() {
        return ownLane() != null || Thread.currentThread() == timerThread;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Lane l : lanes) {
            l.terminate();
        }
        if (isDispatcherThread()) {
            return;
        }
        // Waits even if the caller is (or gets) interrupted, and then leaves its interrupt flag set
        // (TCK clause 1.8e): an interrupted close() that returned at once would leave tasks running.
        // Both waits return at once when given a zero or negative time, or when what they wait for ended.
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        boolean interrupted = Thread.interrupted();
        for (;;) {
            try {
                for (Lane l : lanes) {
                    l.thread.join(Duration.ofNanos(deadline - System.nanoTime()));
                }
                timer.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ForkJoinDispatcher[parallelism=" + lanes.length + (closed ? ", closed]" : "]");
    }

    private Lane ownLane() {
        return Thread.currentThread() instanceof Lane.LaneThread t && t.lane.owner == this ? t.lane : null;
    }

    private Lane laneOfCaller() {
        Lane own = ownLane();
        return own != null ? own : lanes[Dispatchers.homeIndex(lanes.length)];
    }

    /**
     * Lets {@code busy}'s unstarted processes be stolen: wakes a parked lane unless another one spins
     * already (it looks for work to steal, and parks only until that work may be stolen) or is parked
     * until a deadline (it watches unstarted work and looks at every lane again within a few ms). A
     * spin of {@code busy} itself does not count: it ends by starting the first of them, which may hold it.
     */
    void wakeThief(Lane busy) {
        if (lanes.length == 1) {
            return;
        }
        if (spinners.get() > 0) {
            for (Lane l : lanes) {
                if (l != busy && l.isSpinning()) {
                    return;
                }
            }
        }
        for (Lane l : lanes) {
            if (l != busy && l.isParked() && l.isParkedTimed()) {
                return; // it watches unstarted work and comes back by itself within a few ms (ADR 0032)
            }
        }
        for (Lane l : lanes) {
            if (l != busy && l.isParked() && l.wake()) {
                return;
            }
        }
    }

    /** Steals old unstarted processes from another lane into {@code thief}; thief's thread only. */
    boolean stealFor(Lane thief) {
        int n = lanes.length;
        if (n == 1) {
            return false;
        }
        for (int k = 1; k < n; k++) {
            Lane victim = lanes[(thief.index + k) % n];
            if (victim.stealInto(thief)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For {@code thief} about to park: 0 if another lane has processes it may steal now, the nanoseconds
     * until one will, or -1 if none is waiting to start anywhere else.
     */
    long nanosUntilStealable(Lane thief) {
        int n = lanes.length;
        long best = -1;
        long now = System.nanoTime();
        for (int k = 1; k < n; k++) {
            long w = lanes[(thief.index + k) % n].nanosUntilStealable(now);
            if (w >= 0 && (best < 0 || w < best)) {
                best = w;
            }
        }
        return best;
    }

    boolean tryStartSpinning() {
        for (;;) {
            int s = spinners.get();
            if (s >= maxSpinners) {
                return false;
            }
            if (spinners.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    void stopSpinning() {
        spinners.decrementAndGet();
    }

    void report(Throwable error) {
        Thread t = Thread.currentThread();
        Thread.UncaughtExceptionHandler h = onError != null ? onError : t.getUncaughtExceptionHandler();
        try {
            h.uncaughtException(t, error);
        } catch (Throwable ignored) {
            // A failing error handler must not take the lane down either.
        }
    }

    /**
     * One timer: moves its task to the lane when due, unless cancelled first. One state cell decides
     * between the two (a {@code ScheduledFuture}'s own {@code cancel} still returns true while its
     * task is being handed over, which would let a cancelled task run), and both drop the task so
     * that a handle kept after firing or cancelling holds nothing (TCK clause 1.6f).
     */
    private static final class Timer implements Runnable, Cancellable {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Armed: neither fired nor cancelled. */
        private static final int ARMED = 0;
        /** Handed to its lane. */
        private static final int FIRED = 1;
        /** Cancelled before it fired: never runs. */
        private static final int CANCELLED = 2;

        private final Lane target;
        private Runnable task;
        private volatile int state;
        volatile ScheduledFuture<?> future;

        Timer(Lane target, Runnable task) {
            this.target = target;
            this.task = task;
        }

        @Override
        public void run() {
            if (STATE.compareAndSet(this, ARMED, FIRED)) {
                Runnable t = task;
                task = null;
                target.execute(t);
            }
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, ARMED, CANCELLED)) {
                return false;
            }
            task = null;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false); // leaves the timer thread's queue at once (remove-on-cancel)
            }
            return true;
        }
    }

    static RejectedExecutionException rejected() {
        return new RejectedExecutionException("the ForkJoin dispatcher is closed");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
