package io.csp4j.tck;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deliberately broken dispatchers, each breaking one clause of Part 1, for the TCK's own tests
 * ({@link TckSelfTest}). Each is a correct {@link ForkJoinDispatcher} (the reference, which passes the
 * whole TCK) with one fault added; their lanes go through their own {@code execute}.
 */
final class BrokenDispatchers {

    private BrokenDispatchers() {}

    /** A wait that may be interrupted. */
    interface InterruptibleWait {
        void run() throws InterruptedException;
    }

    /**
     * Runs {@code wait} to its end even if the caller is (or gets) interrupted, then leaves the
     * interrupt flag set if it was: a {@code close()} must wait and keep the flag (1.8e), and each
     * broken dispatcher breaks one clause only.
     */
    static void uninterruptibly(InterruptibleWait wait) {
        boolean interrupted = Thread.interrupted();
        for (;;) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reference, forwarded: every method goes to a {@link ForkJoinDispatcher} of 2 workers. */
    static class Forwarding implements Dispatcher {
        final ForkJoinDispatcher inner = new ForkJoinDispatcher(2);

        @Override
        public String name() {
            return getClass().getSimpleName();
        }

        @Override
        public void execute(Runnable task) {
            inner.execute(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return inner.schedule(delay, task);
        }

        @Override
        public Executor lane() {
            return this::execute;
        }

        @Override
        public boolean isDispatcherThread() {
            return inner.isDispatcherThread();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /**
     * Breaks 1.1: runs a task on the caller's stack when the caller is one of its own threads (the
     * tempting "already on the loop, run it now" shortcut). It still catches what the task throws.
     */
    static final class InlineOnOwnThreads extends Forwarding {
        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (inner.isDispatcherThread()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    report(e); // the point of this dispatcher is inlining, not losing errors
                }
                return;
            }
            super.execute(task);
        }
    }

    /** Reports {@code e} to the current thread's uncaught-exception handler, as clause 1.4b asks. */
    static void report(Throwable e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    /** Breaks 1.2: silently drops every 10,000th task given to {@code execute} or a lane. */
    static final class DropsOneInTenThousand extends Forwarding {
        private final AtomicLong count = new AtomicLong();

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (count.incrementAndGet() % 10_000 == 0) {
                return;
            }
            super.execute(task);
        }
    }

    /** Breaks 1.6a: every timer fires after half its delay. */
    static final class EarlyTimers extends Forwarding {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return super.schedule(delay.dividedBy(2), task);
        }
    }

    /**
     * Breaks 1.5a-c while claiming event-loop lanes: each lane hands its tasks in turn to two
     * single-thread executors, so one lane's tasks run on two threads, concurrently and out of order.
     */
    static final class TwoThreadLanes extends Forwarding {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private final Set<Thread> laneThreads = ConcurrentHashMap.newKeySet();
        private final ExecutorService first = Executors.newSingleThreadExecutor(this::newThread);
        private final ExecutorService second = Executors.newSingleThreadExecutor(this::newThread);
        private final AtomicLong turn = new AtomicLong();

        private Thread newThread(Runnable r) {
            Thread t = new Thread(r, "two-thread-lane-" + THREADS.getAndIncrement());
            t.setDaemon(true);
            laneThreads.add(t);
            return t;
        }

        @Override
        public Executor lane() {
            return task -> {
                Runnable guarded = () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        report(e); // isolated and reported, as clause 1.4 asks
                    }
                };
                (turn.getAndIncrement() % 2 == 0 ? first : second).execute(guarded);
            };
        }

        @Override
        public boolean isDispatcherThread() {
            return super.isDispatcherThread() || laneThreads.contains(Thread.currentThread());
        }

        @Override
        public void close() {
            first.shutdownNow();
            second.shutdownNow();
            if (!laneThreads.contains(Thread.currentThread())) { // never wait for oneself (1.8d)
                uninterruptibly(() -> {
                    first.awaitTermination(10, TimeUnit.SECONDS);
                    second.awaitTermination(10, TimeUnit.SECONDS);
                });
            }
            super.close();
        }
    }

    /**
     * Breaks 1.4b: swallows what a task throws (later tasks still run), like a backend built on a
     * {@code ScheduledThreadPoolExecutor}, which keeps a task's exception in a future nobody reads.
     */
    static final class SwallowsFailures extends Forwarding {
        private static Runnable swallowing(Runnable task) {
            Objects.requireNonNull(task, "task");
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // swallowed: the fault
                }
            };
        }

        @Override
        public void execute(Runnable task) {
            super.execute(swallowing(task));
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return super.schedule(delay, swallowing(task));
        }
    }

    /**
     * Breaks 1.6f: cancelling a timer only marks it; the timer (and its task) stays in the queue until
     * its deadline, where it is skipped. Cancel and fire are still race free (a three-state cell).
     */
    static final class KeepsCancelledTimers extends Forwarding {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            AtomicInteger state = new AtomicInteger(); // 0 pending, 1 fired, 2 cancelled
            inner.schedule(delay, () -> {
                if (state.compareAndSet(0, 1)) {
                    task.run();
                }
            });
            return () -> state.compareAndSet(0, 2);
        }
    }

    /**
     * Breaks 1.8b: {@code close()} rejects new tasks at once but leaves the shutting down to another
     * thread and returns without waiting for the running tasks or the threads.
     */
    static final class CloseReturnsAtOnce extends Forwarding {
        private volatile boolean closed;

        @Override
        public void execute(Runnable task) {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            super.execute(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            return super.schedule(delay, task);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Thread.ofPlatform().daemon().name("close-returns-at-once").start(inner::close);
            }
        }
    }

    /**
     * Breaks 1.8d: {@code close()} always waits for the dispatcher to terminate, also when it is called
     * on one of the dispatcher's own threads, which then waits for itself (until the reference's
     * 10-second deadline gives up and interrupts it).
     */
    static final class CloseWaitsForItself extends Forwarding {
        @Override
        public void close() {
            Thread closer = Thread.ofPlatform().daemon().name("close-waits-for-itself").start(inner::close);
            uninterruptibly(closer::join);
        }
    }

    /**
     * Breaks 1.8e: {@code close()} waits for the dispatcher to terminate interruptibly: when the caller
     * is interrupted (before or during the wait) it gives up waiting at once, with tasks still running,
     * and the interrupt is lost with the {@code InterruptedException} it swallows. Called on one of its
     * own threads it does not wait (1.8d passes).
     */
    static final class CloseDropsTheInterrupt extends Forwarding {
        @Override
        public void close() {
            if (inner.isDispatcherThread()) {
                inner.close();
                return;
            }
            Thread closer = Thread.ofPlatform().daemon().name("close-drops-the-interrupt").start(inner::close);
            try {
                closer.join();
            } catch (InterruptedException e) {
                // gives up waiting, and the interrupt with it
            }
        }
    }

    /**
     * Breaks 1.9: its timers wait on a thread of its own that is not a daemon thread (a program that
     * returns from {@code main} would never exit); due timers move over to the reference's loops.
     */
    static final class NonDaemonTimerThread extends Forwarding {
        private final AtomicReference<Thread> timerThread = new AtomicReference<>();
        private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "non-daemon-timer");
            t.setDaemon(false);
            timerThread.set(t);
            return t;
        });

        NonDaemonTimerThread() {
            timer.setRemoveOnCancelPolicy(true);
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            long nanos = delay.isNegative() ? 0
                    : delay.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : delay.toNanos();
            ScheduledFuture<?> f = timer.schedule(() -> inner.execute(task), nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public boolean isDispatcherThread() {
            return super.isDispatcherThread() || Thread.currentThread() == timerThread.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
            if (Thread.currentThread() != timerThread.get()) {
                uninterruptibly(() -> timer.awaitTermination(10, TimeUnit.SECONDS));
            }
            super.close();
        }
    }

    /**
     * Breaks 1.6g: converts the delay with {@code Duration.toNanos()}, which throws
     * {@code ArithmeticException} for a delay beyond about 292 years.
     */
    static final class OverflowingDelays extends Forwarding {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return super.schedule(Duration.ofNanos(delay.toNanos()), task);
        }
    }

    /**
     * Breaks 1.8c (spawn only): a {@code spawn} after {@code close()} is dropped silently instead of
     * rejected, so the caller never learns that its process will not run.
     */
    static final class SpawnDropsAfterClose extends Forwarding {
        @Override
        public void spawn(Runnable firstStep) {
            try {
                super.spawn(firstStep);
            } catch (RejectedExecutionException dropped) {
                // the fault: the caller is not told
            }
        }
    }

    /**
     * Breaks 1.5b across threads only, while claiming event-loop lanes: its one lane (a thread of its
     * own) runs the tasks its own thread submits before those submitted from other threads, even
     * when another thread's submission happened before (a local queue drained first, the tempting
     * shortcut). From one thread, order is kept.
     */
    static final class LocalFirstLane extends Forwarding {
        private static final Runnable STOP = () -> {};
        private final LinkedBlockingQueue<Runnable> external = new LinkedBlockingQueue<>();
        private final ArrayDeque<Runnable> local = new ArrayDeque<>(); // the lane's thread only
        private final Thread thread = Thread.ofPlatform().daemon().name("local-first-lane").unstarted(this::loop);
        private volatile boolean closed;

        LocalFirstLane() {
            thread.start();
        }

        private void submit(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            if (Thread.currentThread() == thread) {
                local.addLast(task);
            } else {
                external.add(task);
            }
        }

        private void loop() {
            for (;;) {
                Runnable t = local.pollFirst();
                if (t == null) {
                    try {
                        t = external.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (t == STOP) {
                    return;
                }
                try {
                    t.run();
                } catch (RuntimeException e) {
                    report(e); // isolated and reported, as clause 1.4 asks
                }
            }
        }

        @Override
        public Executor lane() {
            return this::submit;
        }

        @Override
        public boolean isDispatcherThread() {
            return super.isDispatcherThread() || Thread.currentThread() == thread;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                external.add(STOP);
            }
            if (Thread.currentThread() != thread) {
                uninterruptibly(() -> thread.join(10_000));
            }
            super.close();
        }
    }

    /**
     * Breaks 1.6h: its lane keeps a queue of its own and runs it to the end in one task on the
     * reference's lane (a Netty lane's drain without its batch limit), so while the lane has work
     * nothing else runs on that thread: not the timers set there, which the reference hands to the
     * same thread. Everything else holds: one drain at a time, every task once, in order, reported.
     */
    static final class DrainsToTheEnd extends Forwarding {
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> queue =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

        private void submit(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (inner.isClosed()) {
                throw new RejectedExecutionException("closed");
            }
            queue.add(task);
            if (draining.compareAndSet(false, true)) {
                inner.execute(this::drain);
            }
        }

        private void drain() {
            do {
                for (Runnable t; (t = queue.poll()) != null; ) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        report(e); // isolated and reported, as clause 1.4 asks
                    }
                }
                draining.set(false);
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
        }

        @Override
        public Executor lane() {
            return this::submit;
        }
    }

    /**
     * Breaks 1.2b: a lane over the reference whose "drain scheduled" flag is cleared by the drain
     * after its last poll, without a second look: a task offered between that poll and the clear finds
     * the flag still set, schedules no drain, and waits for the next submission (for good if none
     * comes). Otherwise correct: batches of 256 tasks (1.6h), each task isolated and reported.
     */
    static final class StrandsAHandOff extends Forwarding {
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> queue =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (inner.isClosed()) {
                throw new RejectedExecutionException("closed");
            }
            queue.add(task);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                inner.execute(this::drain);
            }
        }

        private void drain() {
            for (int budget = 256; budget > 0; budget--) {
                Runnable t = queue.poll();
                if (t == null) {
                    scheduled.set(false); // the fault: no second look at the queue after this
                    return;
                }
                try {
                    t.run();
                } catch (RuntimeException e) {
                    report(e); // isolated and reported, as clause 1.4 asks
                }
            }
            inner.execute(this::drain); // the batch is used up: let the thread do other work first
        }
    }

    /**
     * Breaks 1.12: a housekeeping thread of its own (a daemon thread, ended by close) polls for work
     * every few microseconds instead of waiting, and so burns CPU while the dispatcher is idle.
     */
    static final class PollsWhileIdle extends Forwarding {
        private volatile boolean closed;
        private final Thread poller = Thread.ofPlatform().daemon().name("polls-while-idle").start(() -> {
            while (!closed) {
                Thread.onSpinWait();
            }
        });

        @Override
        public boolean isDispatcherThread() {
            return super.isDispatcherThread() || Thread.currentThread() == poller;
        }

        @Override
        public void close() {
            closed = true;
            uninterruptibly(() -> poller.join(10_000));
            super.close();
        }
    }

    /** Breaks 1.10: a blank name. */
    static final class BlankName extends Forwarding {
        @Override
        public String name() {
            return " ";
        }
    }

    // ------------------------------------------------------------- over shared resources (1.11)

    /** What a dispatcher over the "application's" ForkJoin dispatcher gets wrong, if anything. */
    enum OverFault {
        /** None: the reference for clauses 1.11a, 1.11b and 1.11c. */
        NONE,
        /** Breaks 1.11a: a timer that fired stays in its set of pending timers (with its task). */
        KEEPS_FIRED_TIMERS,
        /** Breaks 1.11b: {@code close()} also closes the application's resources. */
        CLOSES_THE_APPLICATIONS,
        /** Breaks 1.11b: {@code close()} leaves its timers queued (they find it closed and do nothing). */
        LEAVES_TIMERS_QUEUED,
        /**
         * Breaks 1.11c: {@code schedule} does not look at the closed flag again once it has handed the
         * timer over, so a timer that {@code close()} found tracked but without its handle yet stays
         * queued on the application's dispatcher (it finds the dispatcher closed when due, an hour later).
         */
        MISSES_TIMERS_BEING_SET
    }

    /**
     * The "application's" resources of the self-tests: a {@link ForkJoinDispatcher} of 2 lanes that
     * the application owns, and dispatchers over it ({@link Over}) with the given fault.
     */
    static final class SharedForkJoin implements SharedResources {
        private final ForkJoinDispatcher application = new ForkJoinDispatcher(2);
        private final OverFault fault;

        SharedForkJoin(OverFault fault) {
            this.fault = fault;
        }

        @Override
        public Dispatcher createDispatcher() {
            return new Over(application, fault);
        }

        @Override
        public void execute(Runnable task) {
            application.execute(task);
        }

        @Override
        public void close() {
            application.close();
        }
    }

    /**
     * A dispatcher over the application's {@link ForkJoinDispatcher}, as a backend's
     * {@code over(group)} is: it runs everything there, keeps the set of its pending timers so that
     * {@code close()} can cancel them, and never closes the application's dispatcher (unless that is
     * its fault).
     */
    static final class Over implements Dispatcher {
        private final ForkJoinDispatcher application;
        private final OverFault fault;
        private final Set<Tracked> timers = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Over(ForkJoinDispatcher application, OverFault fault) {
            this.application = application;
            this.fault = fault;
        }

        @Override
        public String name() {
            return "over-forkjoin";
        }

        private void checkOpen() {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
        }

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            checkOpen();
            application.execute(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            checkOpen();
            Tracked t = new Tracked(task);
            timers.add(t);
            t.inner = application.schedule(delay, t);
            if (closed && fault != OverFault.MISSES_TIMERS_BEING_SET) {
                t.cancel(); // close() may have seen t before its handle was set
            }
            return t;
        }

        @Override
        public Executor lane() {
            Executor lane = application.lane();
            return task -> {
                Objects.requireNonNull(task, "task");
                checkOpen();
                lane.execute(task);
            };
        }

        @Override
        public boolean isDispatcherThread() {
            return application.isDispatcherThread();
        }

        @Override
        public void close() {
            closed = true;
            if (fault != OverFault.LEAVES_TIMERS_QUEUED) {
                for (Tracked t : timers) {
                    t.cancel();
                }
            }
            if (fault == OverFault.CLOSES_THE_APPLICATIONS) {
                application.close();
            }
        }

        /** One timer, in {@link #timers} until it fires or is cancelled. */
        private final class Tracked implements Runnable, Cancellable {
            private final Runnable task;
            volatile Cancellable inner;

            Tracked(Runnable task) {
                this.task = task;
            }

            @Override
            public void run() {
                if (fault != OverFault.KEEPS_FIRED_TIMERS) {
                    timers.remove(this);
                }
                if (!closed) {
                    task.run();
                }
            }

            @Override
            public boolean cancel() {
                Cancellable c = inner;
                if (c != null && c.cancel()) {
                    timers.remove(this);
                    return true;
                }
                return false;
            }
        }
    }
    // ------------------------------------------------ home lanes (1.5e), release at once (1.14a)

    /**
     * Breaks 1.5e: claims home lanes, but what an ordinary thread starts goes to its two
     * single-thread loops in turn ({@code lane()}, {@code execute}, {@code schedule}, and so
     * {@code spawn}, round robin, as {@code MinimalDispatcher} does). On a loop's own thread
     * everything stays on that loop, so every other lane clause holds.
     */
    static final class RoundRobinLanes implements Dispatcher {
        private final ForkJoinDispatcher[] loops = {new ForkJoinDispatcher(1), new ForkJoinDispatcher(1)};
        private final AtomicInteger next = new AtomicInteger();

        /** The caller's own loop, else the next one. */
        private ForkJoinDispatcher pick() {
            for (ForkJoinDispatcher l : loops) {
                if (l.isDispatcherThread()) {
                    return l;
                }
            }
            return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        }

        @Override
        public String name() {
            return "RoundRobinLanes";
        }

        @Override
        public void execute(Runnable task) {
            pick().execute(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return pick().schedule(delay, task);
        }

        @Override
        public Executor lane() {
            return pick().lane();
        }

        @Override
        public boolean isDispatcherThread() {
            return loops[0].isDispatcherThread() || loops[1].isDispatcherThread();
        }

        @Override
        public void close() {
            for (ForkJoinDispatcher l : loops) {
                l.close();
            }
        }
    }

    /**
     * Breaks 1.14a: {@code cancel()} only marks the timer and queues the real cancellation, which the
     * dispatcher carries out the next time it runs a task (as a Netty event loop does when nothing
     * wakes it): while the dispatcher is idle, cancelled timers and their tasks stay on the heap.
     * Clause 1.6f, which runs tasks after cancelling, passes.
     */
    static final class FreesCancelledOnNextTask extends Forwarding {
        private final java.util.concurrent.ConcurrentLinkedQueue<Cancellable> toCancel =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            super.execute(() -> {
                for (Cancellable c; (c = toCancel.poll()) != null; ) {
                    c.cancel();
                }
                task.run();
            });
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            AtomicInteger state = new AtomicInteger(); // 0 pending, 1 fired, 2 cancelled
            Cancellable timer = super.schedule(delay, () -> {
                if (state.compareAndSet(0, 1)) {
                    task.run();
                }
            });
            return () -> {
                if (!state.compareAndSet(0, 2)) {
                    return false;
                }
                toCancel.add(timer);
                return true;
            };
        }
    }
    // ------------------------------------------------------ 1.13 work migration (MIGRATES_UNSTARTED_WORK)

    /** The reference with its own spawn: unstarted processes move between the lanes (passes 1.13). */
    static final class ForwardingSpawn extends Forwarding {
        @Override
        public void spawn(Runnable firstStep) {
            inner.spawn(firstStep);
        }
    }

    /** How {@link MovingLanes} decides that a process waiting to start may move to the other lane. */
    enum MovePolicy {
        /** Breaks 1.13a-c: a process waiting alone on its lane never moves (only groups do). */
        LONE_PROCESS_STAYS,
        /**
         * Breaks 1.13b-d: moves only from a lane whose thread is blocked in Java (WAITING, TIMED_WAITING,
         * BLOCKED): the natural first policy, blind to a lane busy on the CPU or blocked in native I/O
         * (both RUNNABLE).
         */
        ONLY_FROM_A_LANE_BLOCKED_IN_JAVA,
        /**
         * Breaks 1.13e: the processes spawned from a thread that has given a task to {@code execute}
         * are left to that thread's lane, which "will start them itself" (it ran the task and is out
         * of work, or about to be): the lane is taken for a thief of its own processes, as ForkJoin's
         * spinning lane once was (ADR 0026, bug 3). A model of the fault, deterministic where the real
         * one is a race: none of 1.13a-d calls {@code execute}.
         */
        NOT_FROM_A_LANE_JUST_OUT_OF_WORK,
        /**
         * Breaks 1.5f: moves every process that has waited more than 4 ms (instead of 1 ms: ForkJoin's
         * age for a small group), whatever its lane does, so a process queued behind a lane that works
         * through short tasks is moved off it: a steal age alone, blind to whether the lane makes
         * progress. (With the 1 ms of the other policies it also failed 1.5e, whose 11 threads keep
         * both lanes busy for a millisecond now and then.)
         */
        EAGER
    }

    /**
     * A two-lane dispatcher (each lane a thread with a queue) whose unstarted processes are moved by a
     * mover that looks every millisecond at the processes waiting more than a millisecond (EAGER: 4 ms)
     * to start, and moves those its {@link MovePolicy} allows to the other lane. A process starts once: on its lane's
     * marker or on the other lane, whichever claims it first. Its timers and the mover share one
     * daemon thread; {@code close()} ends both lanes and that thread.
     */
    static final class MovingLanes implements Dispatcher {
        private static final AtomicInteger THREADS = new AtomicInteger();
        private final MovePolicy policy;
        private final SimpleLane[] lanes = {new SimpleLane(), new SimpleLane()};
        private final java.util.concurrent.ConcurrentLinkedQueue<Waiting> waiting =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "moving-lanes-timer-" + THREADS.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        private volatile boolean closed;
        /** Whether the calling thread's last call was {@code execute} (NOT_FROM_A_LANE_JUST_OUT_OF_WORK). */
        private final ThreadLocal<Boolean> justExecuted = ThreadLocal.withInitial(() -> false);

        MovingLanes(MovePolicy policy) {
            this.policy = policy;
            timer.setRemoveOnCancelPolicy(true);
            timer.scheduleWithFixedDelay(this::move, 1, 1, TimeUnit.MILLISECONDS);
            for (SimpleLane l : lanes) {
                l.thread.start();
            }
        }

        @Override
        public String name() {
            return "MovingLanes(" + policy + ")";
        }

        @Override
        public void execute(Runnable task) {
            justExecuted.set(true);
            laneOfCaller().execute(task);
        }

        @Override
        public void spawn(Runnable firstStep) {
            Objects.requireNonNull(firstStep, "firstStep");
            SimpleLane home = laneOfCaller();
            boolean leftToItsLane = policy == MovePolicy.NOT_FROM_A_LANE_JUST_OUT_OF_WORK && justExecuted.get();
            Waiting w = new Waiting(firstStep, home, System.nanoTime(), leftToItsLane);
            waiting.add(w);
            home.execute(w::startHere);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            SimpleLane l = laneOfCaller();
            long nanos = Math.max(0, Math.min(delay.getSeconds(), Long.MAX_VALUE / 2_000_000_000L) * 1_000_000_000L
                    + delay.getNano());
            ScheduledFuture<?> f = timer.schedule(() -> l.execute(task), nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public Executor lane() {
            return laneOfCaller();
        }

        @Override
        public boolean isDispatcherThread() {
            Thread t = Thread.currentThread();
            return t == lanes[0].thread || t == lanes[1].thread || t.getName().startsWith("moving-lanes-timer-");
        }

        @Override
        public void close() {
            closed = true;
            timer.shutdownNow();
            for (SimpleLane l : lanes) {
                l.queue.add(SimpleLane.STOP);
            }
            if (isDispatcherThread()) {
                return;
            }
            try {
                for (SimpleLane l : lanes) {
                    l.thread.join(10_000);
                }
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private SimpleLane laneOfCaller() {
            for (SimpleLane l : lanes) {
                if (Thread.currentThread() == l.thread) {
                    return l;
                }
            }
            return lanes[io.csp4j.spi.Dispatchers.homeIndex(lanes.length)];
        }

        /** The mover: runs every millisecond on the timer thread. */
        private void move() {
            long now = System.nanoTime();
            for (Waiting w : waiting) {
                if (w.claimed.get()) {
                    waiting.remove(w);
                } else if (now - w.placedAt > (policy == MovePolicy.EAGER ? 4_000_000 : 1_000_000) && !w.leftToItsLane
                        && allowed(w.lane)
                        && w.claimed.compareAndSet(false, true)) {
                    waiting.remove(w);
                    (w.lane == lanes[0] ? lanes[1] : lanes[0]).execute(w.step);
                }
            }
        }

        private boolean allowed(SimpleLane from) {
            return switch (policy) {
                case LONE_PROCESS_STAYS -> waiting.stream().filter(w -> w.lane == from && !w.claimed.get()).count() >= 2;
                case ONLY_FROM_A_LANE_BLOCKED_IN_JAVA -> switch (from.thread.getState()) {
                    case WAITING, TIMED_WAITING, BLOCKED -> true;
                    default -> false;
                };
                case NOT_FROM_A_LANE_JUST_OUT_OF_WORK -> true; // Waiting.leftToItsLane says which stay
                case EAGER -> true;
            };
        }

        /** A process waiting to start on {@code lane}; whoever claims it first starts it. */
        private final class Waiting {
            final Runnable step;
            final SimpleLane lane;
            final long placedAt;
            /** Never moved (NOT_FROM_A_LANE_JUST_OUT_OF_WORK). */
            final boolean leftToItsLane;
            final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

            Waiting(Runnable step, SimpleLane lane, long placedAt, boolean leftToItsLane) {
                this.step = step;
                this.lane = lane;
                this.placedAt = placedAt;
                this.leftToItsLane = leftToItsLane;
            }

            void startHere() {
                if (claimed.compareAndSet(false, true)) {
                    waiting.remove(this);
                    step.run();
                }
            }
        }

        /** A lane: one daemon thread running its queue in order; what a task throws is reported. */
        private final class SimpleLane implements Executor {
            static final Runnable STOP = () -> {};
            final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
            final Thread thread = new Thread(this::run, "moving-lane-" + THREADS.getAndIncrement());

            SimpleLane() {
                thread.setDaemon(true);
            }

            @Override
            public void execute(Runnable task) {
                Objects.requireNonNull(task, "task");
                if (closed) {
                    throw new RejectedExecutionException("closed");
                }
                queue.add(task);
            }

            private void run() {
                for (;;) {
                    Runnable t;
                    try {
                        t = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (t == STOP) {
                        return;
                    }
                    try {
                        t.run();
                    } catch (Throwable e) {
                        report(e);
                    }
                }
            }
        }
    }
}
