package io.csp4j.tck;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliberately broken dispatchers, each breaking one clause of Part 1, for the TCK's own tests
 * ({@link TckSelfTest}). Each is a correct {@link ForkJoinDispatcher} (the reference, which passes the
 * whole TCK) with one fault added; their lanes go through their own {@code execute}.
 */
final class BrokenDispatchers {

    private BrokenDispatchers() {}

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
                    // reported nowhere: the point of this dispatcher is inlining, not losing errors
                }
                return;
            }
            super.execute(task);
        }
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
                        // isolated, as clause 1.4 asks
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
            try {
                first.awaitTermination(10, TimeUnit.SECONDS);
                second.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.close();
        }
    }
}
