package io.csp4j.forkjoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/*
 * One lane of the ForkJoin default: a thread running its tasks one at a time, in submission order.
 *
 * Queues (all tasks of the lane pass through local, in order):
 *   local      ArrayDeque, lane thread only: tasks submitted from the lane's own thread, and the
 *              contents of inbox drained into it.
 *   inbox      MPSC queue (Inbox): tasks submitted from other threads (resumes from other lanes,
 *              timers, callbacks of async operations started elsewhere).
 *   unstarted  first steps of processes placed here (Unstarted), each announced by one START
 *              marker in local; an idle lane may steal the old ones into its own unstarted queue
 *              (with a START each), so that they may move again if it blocks first. A process
 *              spawned from another thread waits in inbox as a Start node until the lane drains
 *              it here (one queue for the spawner to touch, not two: ADR 0035); a thief may claim
 *              it in inbox too, while the lane is held and does not drain.
 * A submission from the lane thread first drains inbox into local, so that a task submitted from
 * elsewhere that happened-before it also runs before it (FIFO in happens-before order).
 *
 * States (state, one word; only the lane thread leaves PARKED/NOTIFIED):
 *
 *   RUNNING --queues empty, a spinner slot free--> SPINNING --work found--> RUNNING
 *      |                                               | spun SPIN_NANOS
 *      +--queues empty-------------------------------> PARKED --submit from elsewhere--> NOTIFIED
 *                                                          \ (unpark)                      |
 *                                                           +---------- woke up <----------+ -> RUNNING
 *
 * A lane parks for good only when no other lane has unstarted processes waiting; otherwise it
 * parks until the oldest of them may be stolen (STEAL_AGE_NANOS after it was placed, or after its
 * lane woke up), so a thief whose spin ended too early still comes back for bulk work.
 *
 * A submitter from another thread enqueues (a full fence) and then reads state; the lane writes
 * PARKED (volatile) and then re-reads its queues before parking. One of the two sees the other, so
 * a task is never left in a parked lane (Dekker; both sides use sequentially consistent accesses).
 * Only the submitter that moves PARKED to NOTIFIED unparks, so a burst costs one wake-up.
 *
 * Spinning (Go's spinning Ms, kotlinx's CoroutineScheduler): a lane that runs out of work first
 * spins for SPIN_NANOS, looking at its queues and for work to steal, if fewer than the
 * dispatcher's maxSpinners lanes spin already; a hand-off from another lane within that time
 * costs no wake-up. An idle program spins once per idle transition and then parks: no CPU at rest.
 * A lane that wakes from a park and finds nothing to run or steal parks again without spinning
 * (ADR 0032: a thief looking at a busy lane would otherwise spin each time it looks).
 *
 * Differences from a single-thread ForkJoinPool (the lanes until ADR 0009): no task wrapper,
 * no work-stealing deque, no signalling of other workers on every push; and unstarted processes
 * may be stolen by another lane, which a pool of one thread cannot do.
 */
final class Lane implements Executor {

    /** Running tasks (or about to). */
    static final int RUNNING = 0;
    /** Out of work, spinning for a while before parking. */
    static final int SPINNING = 1;
    /** Parked (or about to): a submitter from another thread must unpark it. */
    static final int PARKED = 2;
    /** A submitter has unparked it; it will run. */
    static final int NOTIFIED = 3;

    /** How long an idle lane spins before it parks. */
    static final long SPIN_NANOS = Long.getLong("csp4j.forkjoin.spinNanos", 50_000);
    /** How long a process must have waited to start on a running lane before an idle lane steals it. */
    static final long STEAL_AGE_NANOS = Long.getLong("csp4j.forkjoin.stealAgeNanos", 250_000);

    /**
     * How long a thief watches a running lane's thread before it trusts that the lane is busy on a
     * CPU (rather than preempted by the operating system) and steals from it.
     */
    static final long PROBE_NANOS = 50_000;

    /**
     * How long the processes of a small group (at most {@link #SMALL_GROUP} waiting to start) wait
     * before they may be stolen: such a group was likely started together to talk together (a
     * ping-pong pair started from {@code main}), and a steal would split it for good.
     */
    static final long SMALL_GROUP_AGE_NANOS = 16 * STEAL_AGE_NANOS;
    static final int SMALL_GROUP = 2;

    /**
     * How long a thief waits before it looks again at a lane that works through a queue of short
     * tasks with a small group waiting (see {@link #nanosUntilBusy}).
     */
    static final long PROGRESS_RELOOK_NANOS = 4 * STEAL_AGE_NANOS;

    /** How long a process may wait to start on a lane that does not look busy before it is stolen anyway. */
    static final long STARVED_NANOS = 200 * STEAL_AGE_NANOS;

    /** The per-thread CPU clock of the lanes' threads, or null if the JVM has none. */
    private static final ThreadMXBean CPU_CLOCK = cpuClock();

    private static final VarHandle STATE;
    private static final VarHandle TASKS_RUN;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lane.class, "state", int.class);
            TASKS_RUN = MethodHandles.lookup().findVarHandle(Lane.class, "tasksRun", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most Start nodes a thief counts in a lane's inbox (enough to take {@link Unstarted#MAX_STEAL}). */
    static final int MAX_LOOK = 2 * Unstarted.MAX_STEAL;

    /**
     * The most inbox nodes a thief walks in one look at a lane: a process spawned from another thread
     * behind more tasks than that in the inbox of a held lane waits until the lane drains (ADR 0035).
     */
    static final int MAX_WALK = 1024;

    private static final Runnable START = Unstarted.START;

    final ForkJoinDispatcher owner;
    final int index;
    final LaneThread thread;
    private final ArrayDeque<Runnable> local = new ArrayDeque<>(256);
    private final Inbox inbox = new Inbox();
    private final Unstarted unstarted = new Unstarted();
    /** Where this lane, as a thief, takes a batch out of another lane's unstarted queue (its thread only). */
    private final Runnable[] stolenSteps = new Runnable[Unstarted.MAX_STEAL];
    private volatile int state = RUNNING;
    /**
     * When the lane last woke from a park (System.nanoTime): its wake-up latency is not a wait. At
     * first when it was made (nanoTime's origin is arbitrary: 0 could be in the future).
     */
    private volatile long wokeAt = System.nanoTime();
    /** next() asked for a thief for the processes waiting behind a task (lane thread only; reset when none wait or out of work). */
    private boolean thiefAsked;
    /**
     * The thieves' last look at this lane's thread: when (System.nanoTime) and its CPU time then.
     * Written by any thief, racily: a torn pair costs one wrong guess, which the next look corrects.
     */
    private volatile long probeAt;
    private volatile long probeCpu;
    private volatile int probeTasks;
    /**
     * Tasks this lane has run: written by its thread with an opaque store per task (no fence), read
     * by thieves to tell a lane held by one task from one that works through a queue of short ones.
     */
    private int tasksRun;
    /**
     * Set while the lane parks until a deadline (it watches unstarted work elsewhere and comes back
     * within {@link #SMALL_GROUP_AGE_NANOS} at most), so a thief need not be woken for a spawn.
     */
    private volatile boolean parkedTimed;
    /** Whether the lane ran a task since it last went idle (lane thread only): only then it spins. */
    private boolean ranSinceIdle = true;
    /** Set by close(): run what is queued, then end. */
    private volatile boolean terminating;

    Lane(ForkJoinDispatcher owner, int index, String threadName) {
        this.owner = owner;
        this.index = index;
        this.thread = new LaneThread(this, threadName);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} later on this lane's thread, after every task submitted before it. */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (owner.isClosed()) {
            throw ForkJoinDispatcher.rejected();
        }
        submit(task);
    }

    /** Places the first step of a new process here; an idle lane may steal it if it waits too long. */
    void spawn(Runnable firstStep) {
        if (owner.isClosed()) {
            throw ForkJoinDispatcher.rejected();
        }
        Unstarted.Start start = new Unstarted.Start(firstStep, System.nanoTime());
        boolean batch;
        if (Thread.currentThread() == thread) {
            // What other threads spawned before (in happens-before order) goes into unstarted first.
            if (inbox.hasLinked()) {
                inbox.drainTo(local, unstarted);
            }
            unstarted.push(start);
            local.addLast(START);
            batch = true;
        } else {
            // One enqueue: the lane moves it to unstarted when it drains (ADR 0035).
            batch = inbox.offer(start);
            wake();
        }
        // Let an idle lane look at it later when something may hold this lane before it gets there:
        // the task spawning on the lane's own thread (it may block right after), a task the lane is
        // running (it may block or run long), or a batch to share. A thief that parked for good
        // before this process arrived would otherwise never come back for it (TCK clauses 1.13a-c).
        // A lane that is idle (spinning or parked) or waking up, spawned onto from another thread,
        // starts it next unless a task queued ahead of it holds the lane: next() asks for a thief
        // then. Not on every spawn: a thief woken for nothing takes the one spinner's place, and the
        // lane that does the work then parks and must be woken for the next spawn (W5 spawn on the
        // default took 1.4 µs against 0.9 on one lane; ADR 0026's amendment). "A batch": a task the
        // lane had not drained was ahead of this one in inbox (taken with the enqueue), or processes
        // it drained wait in unstarted. Both are read before the state: a lane that drained and took
        // the first process had set RUNNING before it did, so "nothing ahead" read here is followed
        // by RUNNING read next (the other order could read SPINNING, then nothing once the lane had
        // taken the first, and leave this one behind it; TCK clause 1.13e, ADR 0029).
        if (batch || unstarted.size() >= 1 || state == RUNNING) {
            owner.wakeThief(this);
        }
    }

    private void submit(Runnable task) {
        if (Thread.currentThread() == thread) {
            if (inbox.hasLinked()) {
                inbox.drainTo(local, unstarted);
            }
            local.addLast(task);
        } else {
            inbox.offer(task);
            wake();
        }
    }

    /** Unparks the lane if it is parked; at most one of concurrent callers does. */
    boolean wake() {
        if (state == PARKED && STATE.compareAndSet(this, PARKED, NOTIFIED)) {
            LockSupport.unpark(thread);
            return true;
        }
        return false;
    }

    boolean isParked() {
        return state == PARKED;
    }

    /** Whether the lane is parked until a deadline of a few ms at most (watching another lane's work). */
    boolean isParkedTimed() {
        return parkedTimed;
    }

    boolean isSpinning() {
        return state == SPINNING;
    }

    /** The lane's state (RUNNING, SPINNING, PARKED or NOTIFIED), for the module's tests. */
    int state() {
        return state;
    }

    /**
     * Puts a lane whose thread was never started in the state its thread would set ({@code timed}:
     * parked until a deadline), for the module's step-by-step tests ({@code LaneWakeTest}, {@code LaneIdleTest}).
     */
    void setStateOfUnstartedLane(int state, boolean timed) {
        if (thread.getState() != Thread.State.NEW) {
            throw new IllegalStateException("only the lane's own thread sets the state of a started lane");
        }
        this.state = state;
        this.parkedTimed = timed;
    }

    void terminate() {
        terminating = true;
        LockSupport.unpark(thread);
    }

    /** The lane's loop, run by its thread until close(). */
    void runLoop() {
        for (;;) {
            Runnable t = next();
            if (t != null) {
                TASKS_RUN.setOpaque(this, tasksRun + 1);
                ranSinceIdle = true;
                try {
                    t.run();
                } catch (Throwable e) {
                    owner.report(e);
                }
                continue;
            }
            if (owner.stealFor(this)) {
                continue;
            }
            if (terminating) {
                if (inbox.hasItems()) {
                    Thread.onSpinWait(); // a producer is linking its node
                    continue;
                }
                return;
            }
            idle();
        }
    }

    /**
     * The next task in order (the first step of a process for a START), or null when there is none
     * right now. Lane thread only (or a test's thread, for a lane whose thread was not started).
     */
    Runnable next() {
        if (inbox.hasLinked()) {
            inbox.drainTo(local, unstarted);
        }
        Runnable t;
        while ((t = local.pollFirst()) == START) {
            Runnable first = unstarted.poll();
            if (first != null) {
                return first;
            }
            // A thief took it: go on with the next task.
        }
        if (t == null || unstarted.size() == 0) {
            thiefAsked = false; // out of work, or none waiting (started here or stolen): ask again next time
        } else if (!thiefAsked) {
            // A task that may hold this lane (block, run long) with processes waiting behind it: let
            // an idle lane come for them (once until none wait or the lane runs out of work).
            thiefAsked = true;
            owner.wakeThief(this);
        }
        return t;
    }

    private boolean hasWork() {
        return !local.isEmpty() || inbox.hasItems();
    }

    /**
     * Out of work: spin for a while if allowed, then park until a submitter wakes the lane. Lane
     * thread only (or a test's thread, for a lane whose thread was not started).
     */
    void idle() {
        // Spin only when the lane has just run out of work (a hand-off back is likely soon), not
        // again after a park that found nothing: a thief woken to look at a busy lane (W6's
        // sieve spawns a filter every few hundred microseconds) would otherwise spin each time.
        boolean spin = ranSinceIdle;
        ranSinceIdle = false;
        if (spin && owner.tryStartSpinning()) {
            state = SPINNING;
            try {
                long deadline = System.nanoTime() + SPIN_NANOS;
                for (int i = 1; ; i++) {
                    if (inbox.hasItems() || terminating) {
                        state = RUNNING;
                        return;
                    }
                    if ((i & 63) == 0) {
                        if (owner.stealFor(this)) {
                            state = RUNNING;
                            return;
                        }
                        if (System.nanoTime() - deadline > 0) {
                            break;
                        }
                    }
                    Thread.onSpinWait();
                }
            } finally {
                owner.stopSpinning();
            }
        }
        state = PARKED;
        if (hasWork() || terminating) {
            state = RUNNING;
            return;
        }
        // Work waiting to start on a busy lane that is not old enough to steal yet: sleep only until
        // it is (a thief whose spin ended early would otherwise never come back for it).
        long untilStealable = owner.nanosUntilStealable(this);
        if (untilStealable == 0) {
            state = RUNNING;
            return;
        }
        if (untilStealable > 0) {
            parkedTimed = true; // back by itself within a few ms: wakeThief() need not wake it (ADR 0032)
            LockSupport.parkNanos(this, untilStealable);
            parkedTimed = false;
        } else {
            LockSupport.park(this);
        }
        state = RUNNING;
        wokeAt = System.nanoTime();
    }

    /**
     * How long until this lane's unstarted processes may be stolen: 0 if now, -1 if there are none
     * (or the lane is idle and will start them itself). For a thief about to park, and for one
     * about to steal ({@link #stealInto}: it steals only at 0).
     */
    long nanosUntilStealable(long now) {
        Inbox.Node pending = inbox.pending();
        int waiting = waiting(pending);
        return waiting == 0 ? -1 : nanosUntilStealable(now, waiting, oldestWaiting(pending));
    }

    private long nanosUntilStealable(long now, int waiting, long oldest) {
        if (state != RUNNING) {
            // Spinning or waking up: it is about to start them itself, but the first may hold it
            // (block, run long) with the others behind: look again once it had the time to start them.
            return 4 * STEAL_AGE_NANOS;
        }
        long eligibleAt = Math.max(oldest + stealAge(waiting), wokeAt + STEAL_AGE_NANOS);
        if (eligibleAt - now > 0) {
            return eligibleAt - now;
        }
        return nanosUntilBusy(now, waiting, oldest);
    }

    /**
     * How many processes wait to start here, as another thread sees them: those in unstarted and
     * the Start nodes not claimed in inbox from {@code pending} on (counted up to {@link #MAX_LOOK}).
     */
    private int waiting(Inbox.Node pending) {
        int n = unstarted.size();
        int walked = 0;
        for (Inbox.Node p = pending; p != null && n < MAX_LOOK && walked++ < MAX_WALK; p = p.next) {
            if (p instanceof Unstarted.Start s && !s.isClaimed()) {
                n++;
            }
        }
        return n;
    }

    /** When the oldest of the {@link #waiting} processes was placed (System.nanoTime). */
    private long oldestWaiting(Inbox.Node pending) {
        if (unstarted.size() > 0) {
            return unstarted.oldestTime();
        }
        int walked = 0;
        for (Inbox.Node p = pending; p != null && walked++ < MAX_WALK; p = p.next) {
            if (p instanceof Unstarted.Start s && !s.isClaimed()) {
                return s.placedAt;
            }
        }
        return System.nanoTime(); // started meanwhile: nothing old waits
    }

    /**
     * Moves old unstarted processes of this lane to {@code thief}'s unstarted queue (thief's thread
     * only):
     * half of those that have waited more than {@link #STEAL_AGE_NANOS} while this lane was busy
     * (see {@link #nanosUntilBusy}); a small group ({@link #SMALL_GROUP}) only after
     * {@link #SMALL_GROUP_AGE_NANOS}, and all of it.
     */
    boolean stealInto(Lane thief) {
        return stealInto(thief, System.nanoTime());
    }

    /**
     * {@link #stealInto(Lane)} as seen at {@code now} (System.nanoTime): the steal reads no other
     * clock, only what a look at this lane's thread sees (its CPU time, state and task count), so
     * that {@code LaneStealTest} can give the time.
     */
    boolean stealInto(Lane thief, long now) {
        Inbox.Node pending = inbox.pending();
        int waiting = waiting(pending);
        if (waiting == 0 || nanosUntilStealable(now, waiting, oldestWaiting(pending)) != 0) {
            return false;
        }
        int take = waiting <= SMALL_GROUP ? waiting : Math.min(Unstarted.MAX_STEAL, (waiting + 1) / 2); // a small group moves whole
        long olderThan = now - stealAge(waiting);
        Runnable[] steps = thief.stolenSteps;
        int k = unstarted.steal(olderThan, take, steps);
        // Then those still in inbox (the lane has not drained since they came: it is held), oldest first.
        int walked = 0;
        for (Inbox.Node p = pending; p != null && k < take && walked++ < MAX_WALK; p = p.next) {
            if (p instanceof Unstarted.Start s && (k > 0 || s.placedAt - olderThan < 0)) {
                Runnable step = s.claim();
                if (step != null) {
                    steps[k++] = step;
                }
            }
        }
        if (k == 0) {
            return false;
        }
        // They stay unstarted on the thief, each announced by a START there, so that they can move
        // again if the thief gets busy or blocks before it reaches them. Placed anew: they age again
        // there before another lane may take them (a pair just moved is not split by a second steal).
        for (int i = 0; i < k; i++) {
            thief.unstarted.push(new Unstarted.Start(steps[i], now));
            steps[i] = null;
            thief.local.addLast(START);
        }
        return true;
    }

    /** How long the oldest of {@code waiting} unstarted processes must have waited before it may be stolen. */
    private static long stealAge(int waiting) {
        return waiting > SMALL_GROUP ? STEAL_AGE_NANOS : SMALL_GROUP_AGE_NANOS;
    }

    /**
     * 0 if this lane is really busy, so that a thief may take its old unstarted processes; otherwise
     * how long until a thief should look again. A thief watches the lane for {@link #PROBE_NANOS}
     * or more and then judges:
     * <ul>
     *   <li>Working: its thread ran on a CPU at least half of the window, or is blocked in Java
     *       (sleep, lock, wait: a go block that blocks its lane). A thread that waits for a CPU (the
     *       machine is loaded and the operating system preempted it) is not working: stealing from
     *       it would split processes that talk to each other over two lanes for good (a started
     *       process never moves), and every hand-off between them would then wake a thread.</li>
     *   <li>Held: it ran no new task through the window, so one task holds it (blocks, runs long).
     *       A lane that works through a queue of short steps is not held: a small group waiting
     *       there (a ping-pong pair, the next filter of a sieve) starts in its turn and stays with
     *       the processes it talks to; bulk work (more than {@link #SMALL_GROUP}) is shared.</li>
     * </ul>
     * Busy means working and, for a small group, held for {@link #PROGRESS_RELOOK_NANOS}; or the
     * oldest process has waited {@link #STARVED_NANOS} (a lane blocked in native I/O looks runnable
     * and uses no CPU; a very long queue).
     */
    private long nanosUntilBusy(long now, int waiting, long oldest) {
        ThreadMXBean clock = CPU_CLOCK;
        long cpu = clock == null ? -1 : clock.getThreadCpuTime(thread.threadId());
        return nanosUntilBusy(now, waiting, oldest, cpu, (int) TASKS_RUN.getOpaque(this),
                thread.getState() != Thread.State.RUNNABLE);
    }

    /**
     * {@link #nanosUntilBusy(long, int, long)} given what a look at the lane's thread saw: its CPU
     * time ({@code cpu}, -1 if unknown), how many tasks it had run, and whether it was blocked in Java
     * (not RUNNABLE). Any thread; {@code LaneStealTest} gives the looks.
     */
    long nanosUntilBusy(long now, int waiting, long oldest, long cpu, int tasks, boolean blockedInJava) {
        if (now - oldest >= STARVED_NANOS) {
            return 0;
        }
        long at = probeAt;
        long window = now - at;
        if (at == 0 || window > 2 * PROGRESS_RELOOK_NANOS) {
            startProbe(now, cpu, tasks); // first look (or a stale one): start watching
            return PROBE_NANOS;
        }
        if (window < PROBE_NANOS) {
            return PROBE_NANOS - window;
        }
        boolean held = tasks == probeTasks;
        boolean working = cpu < 0 || cpu - probeCpu >= window / 2 || blockedInJava;
        if (working && waiting > SMALL_GROUP) {
            return 0;
        }
        if (working && held) {
            // A small group moves only from a lane held for PROGRESS_RELOOK_NANOS: a step that runs
            // a little long (a GC, a deoptimisation) must not split a pair for good.
            return window >= PROGRESS_RELOOK_NANOS ? 0 : PROGRESS_RELOOK_NANOS - window;
        }
        startProbe(now, cpu, tasks); // waiting for a CPU, or working through its queue: watch again
        return working ? PROGRESS_RELOOK_NANOS : PROBE_NANOS;
    }

    private void startProbe(long now, long cpu, int tasks) {
        probeAt = now;
        probeCpu = cpu;
        probeTasks = tasks;
    }

    private static ThreadMXBean cpuClock() {
        try {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (mx.isThreadCpuTimeSupported()) {
                if (!mx.isThreadCpuTimeEnabled()) {
                    mx.setThreadCpuTimeEnabled(true);
                }
                return mx;
            }
        } catch (RuntimeException | LinkageError e) {
            // no management support (a trimmed runtime image, a security manager): wall time only
        }
        return null;
    }

    @Override
    public String toString() {
        return "ForkJoinDispatcher.Lane[" + thread.getName() + "]";
    }

    /** The thread of a lane: knows its lane, so that lane() and isDispatcherThread() are a type check. */
    static final class LaneThread extends Thread {
        final Lane lane;

        LaneThread(Lane lane, String name) {
            super(null, null, name, 0, false);
            this.lane = lane;
            setDaemon(true);
        }

        @Override
        public void run() {
            lane.runLoop();
        }
    }
}
