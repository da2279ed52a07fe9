package io.csp4j.internal;

import io.csp4j.Chan;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code timeout(d)}: a new channel per call, closed after {@code d}; a timeout nobody can observe
 * any more costs nothing once the GC has found it.
 *
 * <p>Overview. Go before 1.23 and core.async keep every timer armed until it fires, so
 * {@code alts(c, timeout(60_000))} in a loop holds a minute's worth of timers and channels that no
 * code can read (issue 18). Here a timeout is an entry in one of the engine's own
 * {@link TimeoutQueue}s, a binary heap ordered by deadline, which keeps <em>one</em> dispatcher
 * timer (its {@link Alarm}) armed for the earliest deadline; the backend never holds more than one
 * timer per queue, so its own tables (Vert.x's timer map, Netty's and the JDK's scheduled-task
 * queues) never grow with the number of timeouts. Each dispatcher thread that makes timeouts (a
 * lane, an event loop) has a queue of its own, whose alarm fires on that thread's lane, as a timer
 * per timeout did: a lane's timeouts close on the lane of their (loop-mode) takers, and a busy or
 * blocked lane delays only its own. All other threads (virtual-mode processes, application threads)
 * share one queue per dispatcher. The entry, a {@link Timeout}, holds its channel only
 * <em>weakly</em>, except while a taker is pending on it:
 * <pre>
 *  dispatcher timer --> Alarm --> TimeoutQueue --heap--> Timeout --weak--> TimeoutChannel --> takers --> processes
 *                                                           |                 ^     |
 *                                                           +-pinned (strong)-+     +--> Timeout (for the hooks)
 * </pre>
 * <ul>
 *   <li>A process parked on {@code timeout(d).take()}, or in an {@code alts} whose other channels
 *       never fire, may be reachable only through this chain; its handler sits in the channel's
 *       queue of takers, so the channel is {@link Timeout#pinned pinned} (strongly held by the
 *       queue) and closes on time, waking it on its lane.</li>
 *   <li>A channel that the program still refers to is strongly reachable anyway and closes on time,
 *       exactly as before.</li>
 *   <li>A channel that nobody refers to and nobody waits on (the timeout lost its {@code alts}, or
 *       was never read) is collected by the GC; its {@code Timeout} then reaches a
 *       {@link ReferenceQueue}, and the reaper removes it from the heap (and cancels the alarm if the
 *       heap is then empty). The heap's array shrinks as it empties.</li>
 * </ul>
 *
 * <pre>
 * state of a Timeout   meaning                                     next
 * weak                 in the heap; the channel is collectable     pinned (a taker enqueues), fired, reaped
 * pinned               in the heap; a taker waits, channel held    weak (the last taker withdraws or loses), fired
 * fired                the deadline passed; the channel was closed final (index -1, reference cleared)
 * reaped               the channel was collected; out of the heap  final (index -1)
 * </pre>
 * The pin is set and cleared under the channel's lock ({@link ManyToManyChannel#takerPending},
 * {@link ManyToManyChannel#noTakerPending}); a taker that completes (the channel closed, or a value
 * was put on the timeout channel by hand) leaves the pin in place, which only delays collection
 * until the deadline. The heap, its index fields and the alarm are guarded by the queue's monitor.
 *
 * <p>Clock and thread. Deadlines are {@link System#nanoTime()}; the alarm is an ordinary
 * {@link Dispatcher#schedule} timer, and when it runs it closes every channel whose deadline has
 * passed by that clock and arms itself again for the next one, so a channel never closes early even
 * if the backend's timer fires a little early. The channels are closed on the thread of the
 * dispatcher's timer; their takers resume on their own lanes, as after any close.
 *
 * <p>The reaper is one virtual thread, {@code csp4j-timeout-reaper}, started with the first timeout.
 * It runs no user code and never touches a channel. It also wakes once a second to re-arm an alarm
 * that is more than a second overdue: a backend may drop a timer on its own (Vert.x cancels the
 * timers of a verticle's context when the verticle is undeployed, and an alarm may have been armed
 * from one), and an alarm serves every timeout of its queue. The reaper has no context, so the alarm
 * it arms is on one of the dispatcher's own threads.
 *
 * <p>Differences from core.async: timeout channels are never shared between calls (core.async
 * reuses one per 10 ms window); a zero or negative delay closes the channel as soon as possible,
 * never on the caller's stack (Go's {@code time.After} semantics); an unobservable timeout costs
 * nothing once collected (Go 1.23's rule, kotlinx's {@code onTimeout}). Delays beyond about 146
 * years are cut to that (such a timeout never closes in practice).
 */
public final class Timers {

    private Timers() {}

    /** The longest delay kept: 2^62 ns, about 146 years, so that deadlines compare by subtraction. */
    static final long MAX_NANOS = 1L << 62;

    /** How late an alarm may be before the reaper arms a new one. */
    static final long OVERDUE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The queue for threads that are not the dispatcher's (replaced when another dispatcher is bound). */
    private static volatile TimeoutQueue shared;

    /** The queue of a dispatcher thread (a lane, an event loop): its alarm fires on that thread's lane. */
    private static final ThreadLocal<TimeoutQueue> OWN = new ThreadLocal<>();

    /** Every queue that is still reachable, for the reaper's overdue check and for {@link #pendingTimeouts()}. */
    private static final Set<TimeoutQueue> QUEUES = Collections.newSetFromMap(new WeakHashMap<>());

    /**
     * A new channel closed after {@code d}.
     *
     * @throws NullPointerException if {@code d} is null
     * @throws RejectedExecutionException if the dispatcher is closed and a timer had to be armed
     */
    public static <T> Chan<T> timeout(Duration d) {
        Objects.requireNonNull(d, "duration");
        long nanos = nanos(d);
        TimeoutQueue q = queue(Engine.dispatcher());
        TimeoutChannel<T> ch = new TimeoutChannel<>(d, q);
        q.add(ch.timeout, System.nanoTime() + nanos);
        Reaper.start();
        // The channel must stay strongly reachable until its entry is in the heap, so that the
        // reaper always finds the entry it removes (tested by TimeoutReachabilityTest).
        Reference.reachabilityFence(ch);
        return ch;
    }

    /**
     * The number of timeouts of the current dispatcher that are neither closed nor collected (for
     * tests and diagnostics).
     */
    public static int pendingTimeouts() {
        Dispatcher d = Engine.dispatcherIfPresent();
        int n = 0;
        for (TimeoutQueue q : queues()) {
            n += q.dispatcher == d ? q.size() : 0;
        }
        return n;
    }

    /** A snapshot of {@link #QUEUES}. */
    private static List<TimeoutQueue> queues() {
        synchronized (QUEUES) {
            return new ArrayList<>(QUEUES);
        }
    }

    /** {@code d} in nanoseconds, 0 for none, at most {@link #MAX_NANOS}; never throws. */
    static long nanos(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        if (d.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        return Math.min(d.toNanos(), MAX_NANOS);
    }

    /**
     * The queue for a timeout made on the calling thread: the thread's own if it is one of
     * {@code d}'s threads (so that, as with a timer per timeout, a lane's timeouts close on that
     * lane, and a busy or blocked lane delays only its own), else the one shared by all other
     * threads. Made when missing or of another dispatcher.
     */
    static TimeoutQueue queue(Dispatcher d) {
        if (d.isDispatcherThread()) {
            TimeoutQueue q = OWN.get();
            if (q == null || q.dispatcher != d) {
                q = register(new TimeoutQueue(d));
                OWN.set(q);
            }
            return q;
        }
        TimeoutQueue q = shared;
        if (q != null && q.dispatcher == d) {
            return q;
        }
        synchronized (Timers.class) {
            q = shared;
            if (q == null || q.dispatcher != d) {
                shared = q = register(new TimeoutQueue(d));
            }
            return q;
        }
    }

    private static TimeoutQueue register(TimeoutQueue q) {
        synchronized (QUEUES) {
            QUEUES.add(q);
        }
        return q;
    }

    /** A timeout's channel: a rendezvous channel that pins itself to its entry while takers wait. */
    static final class TimeoutChannel<T> extends ManyToManyChannel<T> {

        final Timeout timeout;

        TimeoutChannel(Duration d, TimeoutQueue q) {
            super(null, null, null, 0, null);
            this.timeout = new Timeout(this, d, q);
        }

        @Override
        void takerPending() {
            timeout.pinned = this;
        }

        @Override
        void noTakerPending() {
            timeout.pinned = null;
        }

        @Override
        String label() {
            return "timeout(" + timeout.millis + "ms)";
        }
    }

    /** A timeout's entry in its {@link TimeoutQueue}: weak to the channel, except while {@link #pinned}. */
    static final class Timeout extends WeakReference<ManyToManyChannel<?>> {

        /** The delay, for {@code toString}. */
        final long millis;
        /** {@code System.nanoTime()} at which the channel closes; under the queue's monitor. */
        long deadline;
        /** Position in the heap, -1 once out of it; under the queue's monitor. */
        int index = -1;
        /** The queue it enters. */
        final TimeoutQueue queue;
        /** The channel itself while a taker is pending on it, else {@code null}; written under its lock. */
        ManyToManyChannel<?> pinned;

        Timeout(ManyToManyChannel<?> ch, Duration d, TimeoutQueue queue) {
            super(ch, Reaper.QUEUE);
            this.queue = queue;
            this.millis = d.isNegative() ? 0 : d.getSeconds() >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : d.toMillis();
        }

        /** The deadline passed: close the channel if anyone can still see it. */
        void expire() {
            ManyToManyChannel<?> ch = get();
            clear(); // fired: never reaped
            pinned = null;
            if (ch != null) {
                ch.close();
            }
        }

        /** The channel was collected before its deadline: leave the heap. */
        void reap() {
            queue.remove(this);
        }
    }

    /**
     * The timeouts of one dispatcher: a binary min-heap by deadline and the one dispatcher timer
     * armed for its root. Every method is thread-safe (the monitor guards the heap, the indexes and
     * {@link #alarm}); the channels are closed outside it.
     */
    static final class TimeoutQueue {

        private static final int INITIAL = 16;

        final Dispatcher dispatcher;
        private Timeout[] heap = new Timeout[INITIAL];
        private int size;
        /** The armed dispatcher timer, or {@code null} when none is (the heap is empty, or arming failed). */
        private Alarm alarm;

        TimeoutQueue(Dispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        synchronized int size() {
            return size;
        }

        /**
         * Enters {@code t}, due at {@code deadline}, and arms the alarm if it is due before the armed
         * one.
         *
         * @throws RejectedExecutionException if a timer had to be armed and the dispatcher refused it;
         *     {@code t} is then not in the heap
         */
        void add(Timeout t, long deadline) {
            synchronized (this) {
                t.deadline = deadline;
                offer(t);
                if (alarm == null || deadline - alarm.deadline < 0) {
                    try {
                        arm(deadline);
                    } catch (RuntimeException e) {
                        removeAt(t.index);
                        throw e;
                    }
                }
            }
        }

        /** Removes {@code t} if it is still in the heap (its channel was collected). */
        synchronized void remove(Timeout t) {
            if (t.index < 0) {
                return;
            }
            removeAt(t.index);
            if (size == 0 && alarm != null) {
                Alarm a = alarm;
                alarm = null;
                a.cancel(); // nothing left to wait for: free the dispatcher's timer too
            }
        }

        /** The alarm {@code a} ran: closes every channel that is due, arms for the next. */
        void fire(Alarm a) {
            List<Timeout> due = new ArrayList<>();
            synchronized (this) {
                if (alarm == a) {
                    alarm = null;
                }
                long now = System.nanoTime();
                while (size > 0 && heap[0].deadline - now <= 0) {
                    Timeout t = heap[0];
                    removeAt(0);
                    due.add(t);
                }
                rearm();
            }
            for (Timeout t : due) {
                try {
                    t.expire();
                } catch (Throwable e) {
                    Engine.report(e);
                }
            }
        }

        /** Arms a new alarm if the armed one is more than {@link #OVERDUE_NANOS} late (see the class comment). */
        synchronized void checkOverdue(long now) {
            if (alarm != null && now - alarm.deadline > OVERDUE_NANOS) {
                Alarm late = alarm;
                alarm = null;
                late.cancel(); // if it runs after all, fire() finds nothing more than is due
                rearm();
            }
        }

        /** Under the monitor: arms for the root if no alarm is armed for it or earlier; a closed dispatcher arms nothing. */
        private void rearm() {
            if (size > 0 && (alarm == null || heap[0].deadline - alarm.deadline < 0)) {
                try {
                    arm(heap[0].deadline);
                } catch (RejectedExecutionException e) {
                    // The dispatcher is closed: its timers were cancelled, and these go with them.
                }
            }
        }

        /** Under the monitor: replaces the alarm by one due at {@code deadline}. */
        private void arm(long deadline) {
            Alarm old = alarm;
            alarm = null;
            if (old != null) {
                old.cancel();
            }
            Alarm a = new Alarm(this, deadline);
            long delay = Math.max(0, deadline - System.nanoTime());
            a.handle = dispatcher.schedule(Duration.ofNanos(delay), a);
            alarm = a;
        }

        // ------------------------------------------------------------ the heap, under the monitor

        private void offer(Timeout t) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            siftUp(size++, t);
        }

        private void removeAt(int i) {
            Timeout gone = heap[i];
            gone.index = -1;
            int last = --size;
            Timeout moved = heap[last];
            heap[last] = null;
            if (i != last) {
                siftDown(i, moved);
                if (heap[i] == moved) {
                    siftUp(i, moved);
                }
            }
            if (heap.length > INITIAL && size < heap.length / 4) {
                heap = Arrays.copyOf(heap, heap.length / 2); // a burst of timeouts leaves no large array
            }
        }

        private void siftUp(int i, Timeout t) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                Timeout p = heap[parent];
                if (t.deadline - p.deadline >= 0) {
                    break;
                }
                heap[i] = p;
                p.index = i;
                i = parent;
            }
            heap[i] = t;
            t.index = i;
        }

        private void siftDown(int i, Timeout t) {
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                Timeout c = heap[child];
                int right = child + 1;
                if (right < size && heap[right].deadline - c.deadline < 0) {
                    c = heap[child = right];
                }
                if (t.deadline - c.deadline <= 0) {
                    break;
                }
                heap[i] = c;
                c.index = i;
                i = child;
            }
            heap[i] = t;
            t.index = i;
        }
    }

    /** The one dispatcher timer of a {@link TimeoutQueue}, due at {@link #deadline}. */
    static final class Alarm implements Runnable {

        final TimeoutQueue queue;
        final long deadline;
        /** The dispatcher's handle; set under the queue's monitor before anyone can cancel. */
        Cancellable handle;

        Alarm(TimeoutQueue queue, long deadline) {
            this.queue = queue;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            queue.fire(this);
        }

        /** Under the queue's monitor. */
        void cancel() {
            try {
                handle.cancel();
            } catch (Throwable e) {
                Engine.report(e); // a dispatcher whose cancel() threw
            }
        }

        @Override
        public String toString() {
            return "timeout alarm";
        }
    }

    /** Removes the entries of collected timeout channels, on one virtual thread. */
    private static final class Reaper implements Runnable {

        static final ReferenceQueue<ManyToManyChannel<?>> QUEUE = new ReferenceQueue<>();

        private static volatile boolean started;

        /** Starts the reaper once (cheap after the first call). */
        static void start() {
            if (!started) {
                startOnce();
            }
        }

        private static synchronized void startOnce() {
            if (!started) {
                Thread.ofVirtual().name("csp4j-timeout-reaper").start(new Reaper());
                started = true;
            }
        }

        @Override
        public void run() {
            long lastCheck = System.nanoTime();
            for (;;) {
                try {
                    Reference<?> r = QUEUE.remove(TimeUnit.NANOSECONDS.toMillis(OVERDUE_NANOS));
                    while (r != null) {
                        ((Timeout) r).reap();
                        r = QUEUE.poll();
                    }
                    long now = System.nanoTime();
                    if (now - lastCheck >= OVERDUE_NANOS) {
                        lastCheck = now;
                        for (TimeoutQueue q : queues()) {
                            q.checkOverdue(now);
                        }
                    }
                } catch (InterruptedException e) {
                    // Nobody else knows this thread; keep reaping.
                } catch (Throwable e) {
                    Engine.report(e);
                }
            }
        }
    }
}
