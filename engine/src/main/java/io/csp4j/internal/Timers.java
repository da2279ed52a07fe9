package io.csp4j.internal;

import io.csp4j.Chan;
import io.csp4j.spi.Cancellable;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code timeout(d)}: a new channel per call, closed by a dispatcher timer after {@code d}, whose
 * timer is cancelled as soon as nobody can observe the channel any more.
 *
 * <p>Overview. Go before 1.23 and core.async keep every timer armed until it fires, so
 * {@code alts(c, timeout(60_000))} in a loop holds a minute's worth of timers and channels that no
 * code can read (issue 18). Here the dispatcher's timer holds the channel only <em>weakly</em>,
 * through a {@link Timeout} (a {@link WeakReference} that is the timer's task), except while a taker
 * is pending on it:
 * <pre>
 *  dispatcher timer --strong--> Timeout --weak--> TimeoutChannel --> pending takers --> processes
 *                                  |                  ^     |
 *                                  +--pinned (strong)-+     +--strong--> Timeout (for the hooks)
 * </pre>
 * <ul>
 *   <li>A process parked on {@code timeout(d).take()}, or in an {@code alts} whose other channels
 *       never fire, may be reachable only through this cycle; its handler sits in the channel's
 *       queue of takers, so the channel is {@link Timeout#pinned pinned} (strongly held by the
 *       timer) and closes on time, waking it.</li>
 *   <li>A channel that the program still refers to is strongly reachable anyway and closes on time,
 *       exactly as before.</li>
 *   <li>A channel that nobody refers to and nobody waits on (the timeout lost its {@code alts}, or
 *       was never read) is collected by the GC; its {@code Timeout} then reaches a
 *       {@link ReferenceQueue}, and the reaper cancels the dispatcher's timer, which frees it (the
 *       backends remove cancelled timers). What is left between the collection and the reaping is
 *       the backend's timer entry and the {@code Timeout}, for a few milliseconds.</li>
 * </ul>
 *
 * <pre>
 * state of a Timeout   meaning                                    next
 * weak                 armed; the channel is collectable          pinned (a taker enqueues), fired, reaped
 * pinned               armed; a taker waits, the channel is held  weak (the last taker withdraws or loses), fired
 * fired                the delay passed; the channel was closed   final
 * reaped               the channel was collected; timer cancelled final
 * </pre>
 * The pin is set and cleared under the channel's lock ({@link ManyToManyChannel#takerPending},
 * {@link ManyToManyChannel#noTakerPending}); a taker that completes (the channel closed, or a value
 * was put on the timeout channel by hand) leaves the pin in place, which only delays collection
 * until the timer fires.
 *
 * <p>The reaper is one virtual thread, {@code csp4j-timeout-reaper}, started with the first timeout
 * and blocked on the reference queue for the rest of the JVM's life (a virtual thread holds no
 * platform thread while it waits, on JDK 24+). It runs no user code and never touches a channel.
 *
 * <p>Differences from core.async: timeout channels are never shared between calls (core.async
 * reuses one per 10 ms window); a zero or negative delay closes the channel as soon as possible,
 * never on the caller's stack (Go's {@code time.After} semantics); an unobservable timeout costs
 * nothing once collected (Go 1.23's rule, kotlinx's {@code onTimeout}).
 */
public final class Timers {

    private Timers() {}

    /**
     * A new channel closed after {@code d}.
     *
     * @throws NullPointerException if {@code d} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed
     */
    public static <T> Chan<T> timeout(Duration d) {
        Objects.requireNonNull(d, "duration");
        TimeoutChannel<T> ch = new TimeoutChannel<>(d);
        Timeout t = ch.timeout;
        t.timer = Engine.dispatcher().schedule(d.isNegative() ? Duration.ZERO : d, t);
        Reaper.start();
        // The channel must stay strongly reachable until the timer handle is published, so that
        // the reaper always finds a timer to cancel (tested by TimeoutReachabilityTest).
        Reference.reachabilityFence(ch);
        return ch;
    }

    /** A timeout's channel: a rendezvous channel that pins itself to its timer while takers wait. */
    static final class TimeoutChannel<T> extends ManyToManyChannel<T> {

        final Timeout timeout;

        TimeoutChannel(Duration d) {
            super(null, null, null, 0, null);
            this.timeout = new Timeout(this, d);
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

    /**
     * The task of a timeout's dispatcher timer: closes the channel if it is still alive. Weak to the
     * channel, except while {@link #pinned}.
     */
    static final class Timeout extends WeakReference<ManyToManyChannel<?>> implements Runnable {

        /** The delay, for {@code toString}. */
        final long millis;
        /** The dispatcher's handle; published before the channel can be collected. */
        volatile Cancellable timer;
        /** The channel itself while a taker is pending on it, else {@code null}; written under its lock. */
        ManyToManyChannel<?> pinned;

        Timeout(ManyToManyChannel<?> ch, Duration d) {
            super(ch, Reaper.QUEUE);
            this.millis = d.toMillis();
        }

        /** The delay has passed: close the channel if anyone can still see it. */
        @Override
        public void run() {
            ManyToManyChannel<?> ch = get();
            if (ch != null) {
                ch.close();
            }
            clear(); // fired: never reaped
        }

        /** The channel was collected before the delay passed: free the dispatcher's timer. */
        void reap() {
            Cancellable c = timer;
            if (c != null) {
                c.cancel();
            }
        }
    }

    /** Cancels the timers of collected timeout channels, on one virtual thread. */
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
            for (;;) {
                try {
                    Reference<?> r = QUEUE.remove();
                    do {
                        ((Timeout) r).reap();
                    } while ((r = QUEUE.poll()) != null);
                } catch (InterruptedException e) {
                    // Nobody else knows this thread; keep reaping.
                } catch (Throwable e) {
                    Engine.report(e); // a dispatcher whose cancel() threw: report, keep reaping
                }
            }
        }
    }
}
