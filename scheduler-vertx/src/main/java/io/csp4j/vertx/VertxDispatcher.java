package io.csp4j.vertx;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.spi.Cancellable;
import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.Dispatchers;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Dispatcher} that runs csp4j processes on Vert.x contexts (event loops).
 *
 * <p>Overview of implementation. Everything runs on a Vert.x {@link Context}; which one:
 * <ul>
 *   <li>{@link #lane()} called on a context (a verticle, a handler, a go block already on a lane) is
 *       that very context, whatever {@code Vertx} owns it, so a go block started from a verticle of
 *       the application's own {@code Vertx} stays on the verticle's event loop even when this
 *       dispatcher is the default one over a {@code Vertx} of its own. Called elsewhere, it is the
 *       calling thread's <em>home</em> context: one of the default contexts (one per event loop of
 *       this dispatcher's {@code Vertx}), fixed per thread and spread over the event loops by thread
 *       id. The processes one thread starts (a {@code main}, a test) so share an event loop and hand
 *       values to each other without waking another thread (docs/adr/0009-lanes-that-share-work.md);
 *       until csp4j 0.1 each got a fresh context, round robin, and every hand-off between two of them
 *       woke an event loop (48 µs per ping-pong round trip).</li>
 *   <li>{@link #execute(Runnable)} and {@link #schedule(Duration, Runnable)} use the caller's context
 *       when there is one, otherwise the calling thread's home context.</li>
 * </ul>
 *
 * <p>How a task is dispatched: {@code context.executor().execute(() -> context.dispatch(task))}, the
 * body of {@code Context.runOnContext} in Vert.x 5 without its {@code Handler<Void>} adapter: one
 * allocation less, and the same behaviour. Measured on JDK 25, 2 shared cores, a chain of 2 million
 * tasks each submitting the next on one event loop: about 40 ns per task against about 46 ns with
 * {@code runOnContext} (noisy; never slower). Going to the Netty loop directly would need the same
 * begin/end-dispatch bookkeeping and gains nothing. For an event-loop context the executor is the
 * Netty event loop's task queue, so:
 * <ul>
 *   <li><b>never inline</b>: the executor only enqueues, even on the context's own thread
 *       ({@code ContextInternal.execute}/{@code emit} run inline there and are not used);</li>
 *   <li><b>order</b>: one lane is one queue drained by one thread, so its tasks run in submission
 *       order, one at a time, on that event loop;</li>
 *   <li><b>context</b>: {@code dispatch} makes the context current ({@code Vertx.currentContext()}
 *       inside the task is the lane's context) and sets the thread's context class loader;</li>
 *   <li><b>isolation</b>: a task that throws goes to the context's exception handler, else the
 *       {@code Vertx}'s ({@link Vertx#exceptionHandler(io.vertx.core.Handler)}), and the loop goes
 *       on. A {@code Vertx} this dispatcher creates gets an exception handler that hands the error to
 *       the uncaught-exception handler of the thread that ran the task, as a plain thread would (TCK
 *       clause 1.4b; the application may replace it through {@link #vertx()}); an application's
 *       {@code Vertx} keeps its own policy (without a handler, Vert.x logs "Unhandled exception");</li>
 *   <li><b>happens-before</b>: the Netty task queue publishes the task to the loop thread.</li>
 * </ul>
 * A worker or virtual-thread context used as a lane keeps its own Vert.x rules: tasks one at a time,
 * in order, but on the worker pool's threads rather than one event loop.
 *
 * <p>Timers are Vert.x timers set on the chosen context (so they fire on it), with a delay rounded
 * <em>up</em> to whole milliseconds (Vert.x refuses delays under 1 ms, and a timer must never fire
 * early); a zero or negative delay is a plain dispatch. Each timer is a {@link VertxTimer} whose
 * state cell makes cancel-versus-fire race free, and is tracked here until it fires or is cancelled
 * so that {@link #close()} can cancel it. A timer set on a verticle's context is also cancelled by
 * Vert.x when the verticle is undeployed (its task then never runs).
 *
 * <p>Invariants: a task accepted by {@code execute}, a lane or a timer runs at most once, and
 * exactly once unless its timer was cancelled or its {@code Vertx} closed; nothing is accepted after
 * {@link #close()}; this dispatcher never closes a {@code Vertx} it was given.
 *
 * <p>Thread-safe: every method may be called from any thread. No method accepts {@code null}.
 */
public final class VertxDispatcher implements Dispatcher {

    /** How long {@link #close()} waits for an owned {@code Vertx} to close. */
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final VertxInternal vertx;
    private final boolean owned;
    private final ContextInternal[] defaults;
    private final Set<VertxTimer> timers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A dispatcher over a {@code Vertx} of its own (default options, daemon threads), which
     * {@link #close()} closes. Same as {@link #create()}.
     */
    public VertxDispatcher() {
        this(Vertx.vertx(new VertxOptions().setUseDaemonThread(true)), true);
    }

    private VertxDispatcher(Vertx vertx, boolean owned) {
        if (!(vertx instanceof VertxInternal internal)) {
            throw new IllegalArgumentException("VertxDispatcher needs a Vertx built by Vert.x 5 (Vertx.vertx(),"
                    + " Vertx.builder()...), which implements io.vertx.core.internal.VertxInternal; got "
                    + vertx.getClass().getName());
        }
        this.vertx = internal;
        this.owned = owned;
        this.defaults = defaultContexts(internal);
        if (owned) {
            internal.exceptionHandler(VertxDispatcher::reportToThread);
        }
        warnIfVirtualMode();
    }

    /**
     * The exception handler of a {@code Vertx} this dispatcher created: reports {@code error} to the
     * uncaught-exception handler of the calling thread (the context's thread that ran the failing
     * task), and never throws.
     */
    private static void reportToThread(Throwable error) {
        Thread t = Thread.currentThread();
        try {
            t.getUncaughtExceptionHandler().uncaughtException(t, error);
        } catch (Throwable ignored) {
            // A failing handler must not take the event loop down.
        }
    }

    /** Whether the virtual-mode warning was logged in this JVM (it is logged once). */
    static final AtomicBoolean VIRTUAL_MODE_WARNED = new AtomicBoolean();
    /** Where the warning goes; VertxVirtualModeWarningTest puts its own logger here. */
    static volatile System.Logger log = System.getLogger(VertxDispatcher.class.getName());

    /**
     * Virtual mode changes behaviour on Vert.x: go blocks run on virtual threads, with no Vert.x
     * context current, instead of on the verticle's event loop. Said once per JVM, at WARNING, with
     * the option that fixes it (at INFO when {@code -Dcsp4j.processes=virtual} asked for it).
     */
    static void warnIfVirtualMode() {
        ProcessMode mode;
        try {
            mode = Csp.processMode();
        } catch (IllegalStateException e) {
            return; // -Dcsp4j.processes=loop without the option: the engine says so on the first go block
        }
        if (mode != ProcessMode.VIRTUAL || !VIRTUAL_MODE_WARNED.compareAndSet(false, true)) {
            return;
        }
        boolean asked = "virtual".equalsIgnoreCase(String.valueOf(System.getProperty(ProcessMode.PROPERTY)).strip());
        log.log(asked ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "csp4j on Vert.x runs go blocks in virtual mode: they run on virtual threads, not on the"
                + " event loop of the verticle that starts them, so Vertx.currentContext() is null inside them"
                + " and Vert.x APIs see no context. To run them on the event loop (loop mode), start the JVM"
                + " with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED (or the manifest line"
                + " 'Add-Exports: java.base/jdk.internal.vm' in an executable jar)"
                + (asked ? "; -D" + ProcessMode.PROPERTY + "=virtual asked for virtual mode." : "."));
    }

    /**
     * A dispatcher over a {@code Vertx} of its own, created with default options and daemon threads
     * (so a forgotten dispatcher does not keep the JVM alive); {@link #close()} closes it. What a
     * task throws goes to the uncaught-exception handler of the thread that ran it.
     *
     * @return a new, running dispatcher
     */
    public static VertxDispatcher create() {
        // One path for every dispatcher over a Vertx of its own: what the TCK checks through create()
        // holds for create(options) too (ADR 0030).
        return create(new VertxOptions().setUseDaemonThread(true));
    }

    /**
     * A dispatcher over a {@code Vertx} of its own, created with {@code options}; {@link #close()}
     * closes it. The options are copied and used as they are: Vert.x threads are not daemon threads
     * unless {@link VertxOptions#setUseDaemonThread(Boolean)} says so (then a dispatcher that is never
     * closed keeps the JVM alive).
     *
     * @param options the options of the new {@code Vertx}; not {@code null}
     * @return a new, running dispatcher
     * @throws NullPointerException if {@code options} is null
     */
    public static VertxDispatcher create(VertxOptions options) {
        Objects.requireNonNull(options, "options");
        return new VertxDispatcher(Vertx.vertx(new VertxOptions(options)), true);
    }

    /**
     * A dispatcher over the application's own {@code vertx}. {@link #close()} cancels this
     * dispatcher's pending timers and stops accepting tasks, but leaves {@code vertx} running: the
     * application closes it.
     *
     * @param vertx the application's {@code Vertx}; not {@code null}
     * @return a new dispatcher over it
     * @throws NullPointerException if {@code vertx} is null
     * @throws IllegalArgumentException if {@code vertx} is not a Vert.x 5 implementation
     *     ({@code io.vertx.core.internal.VertxInternal}), such as a mock
     */
    public static VertxDispatcher over(Vertx vertx) {
        return new VertxDispatcher(Objects.requireNonNull(vertx, "vertx"), false);
    }

    /**
     * One event-loop context per event loop of {@code vertx}, the default targets of execute. Never
     * empty: Vert.x refuses an event-loop pool size under 1.
     */
    private static ContextInternal[] defaultContexts(VertxInternal vertx) {
        List<ContextInternal> contexts = new ArrayList<>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            contexts.add(vertx.contextBuilder()
                    .withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .withEventLoop((EventLoop) loop)
                    .build());
        }
        return contexts.toArray(ContextInternal[]::new);
    }

    /** {@value VertxDispatcherProvider#NAME}. */
    @Override
    public String name() {
        return VertxDispatcherProvider.NAME;
    }

    /**
     * The {@code Vertx} this dispatcher runs on (its own, or the one given to {@link #over(Vertx)}).
     * Thread-safe.
     *
     * @return the {@code Vertx}; never {@code null}
     */
    public Vertx vertx() {
        return vertx;
    }

    /** Whether {@link #close()} closes {@link #vertx()}: {@code true} unless it came from {@link #over(Vertx)}. */
    public boolean ownsVertx() {
        return owned;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Runs {@code task} later on the caller's context if it is on one, else on the calling thread's
     * home context (one of this dispatcher's event loops, fixed per thread); never on the caller's
     * stack.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if this dispatcher is closed, or the target context's
     *     {@code Vertx} was closed
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkOpen();
        ContextLane.submit(target(), task);
    }

    /**
     * Runs {@code task} once, no earlier than {@code delay} from now, on the caller's context if it
     * is on one, else on one of this dispatcher's event loops. The delay is rounded up to whole
     * milliseconds; zero, negative and sub-millisecond delays work (never inline).
     *
     * @param delay how long to wait; not {@code null}
     * @param task the task; not {@code null}; should be short
     * @return a handle; {@link Cancellable#cancel()} returns {@code true} only if it prevented the run
     * @throws NullPointerException if an argument is null
     * @throws RejectedExecutionException if this dispatcher is closed
     */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        checkOpen();
        VertxTimer timer = new VertxTimer(this, target(), task);
        timers.add(timer);
        if (closed.get()) { // close() ran between checkOpen and add: it may have missed this timer
            timer.cancel();
            throw rejected();
        }
        timer.start(ceilMillis(delay));
        return timer;
    }

    /**
     * The lane of a process started from the calling thread: the caller's context when it is on
     * one (of any {@code Vertx}), else the calling thread's home context, one of this dispatcher's
     * event loops fixed per thread (so the processes one thread starts share an event loop).
     * Tasks on the lane run in submission order, one at a time, on the context (for an event-loop
     * context, always on its one thread), never on the caller's stack.
     *
     * @return a new lane; never {@code null}. Its {@code execute} throws
     *     {@code NullPointerException} for a null task and {@link RejectedExecutionException} once
     *     this dispatcher is closed.
     */
    @Override
    public Executor lane() {
        if (closed.get()) {
            return task -> {
                Objects.requireNonNull(task, "task");
                throw rejected();
            };
        }
        return new ContextLane(this, target());
    }

    /**
     * Whether the calling thread is a Vert.x event-loop thread (of any {@code Vertx}: this
     * dispatcher runs lanes on the caller's own event loops too). {@code false} on Vert.x worker
     * threads, virtual threads and every other thread, where blocking stalls no event loop.
     */
    @Override
    public boolean isDispatcherThread() {
        return Context.isOnEventLoopThread();
    }

    /**
     * Cancels every pending timer of this dispatcher, stops accepting tasks, and closes the
     * {@code Vertx} if this dispatcher created it: then it waits (up to 30 seconds) for the close to
     * complete, unless called on an event loop or on a thread of that {@code Vertx}, where waiting
     * would deadlock. It waits also when the caller is interrupted, and leaves its interrupt flag set.
     * A {@code Vertx} given to {@link #over(Vertx)} keeps running. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (VertxTimer t : timers) {
            t.cancel();
        }
        if (!owned) {
            return;
        }
        var closing = vertx.close().toCompletionStage().toCompletableFuture();
        ContextInternal current = ContextInternal.current();
        if (Context.isOnEventLoopThread() || (current != null && current.owner() == vertx)) {
            return;
        }
        // Waits even if the caller is (or gets) interrupted, and then leaves its interrupt flag set
        // (TCK clause 1.8e): an interrupted close() that returned at once would leave tasks running.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        boolean interrupted = Thread.interrupted();
        for (;;) {
            try {
                closing.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                System.getLogger(VertxDispatcher.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the dispatcher's own Vertx did not complete", e);
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "VertxDispatcher[" + (owned ? "own Vertx" : "application Vertx") + ", event loops="
                + defaults.length + (isClosed() ? ", closed]" : "]");
    }

    /** Throws if closed; used by lanes as well. */
    void checkOpen() {
        if (closed.get()) {
            throw rejected();
        }
    }

    /** Called by a timer that fired or was cancelled: it no longer needs cancelling at close. */
    void forget(VertxTimer timer) {
        timers.remove(timer);
    }

    /** The number of timers not yet fired nor cancelled (for tests and diagnostics). */
    int pendingTimers() {
        return timers.size();
    }

    private ContextInternal target() {
        ContextInternal current = ContextInternal.current();
        if (current != null) {
            return current;
        }
        return homeContext();
    }

    /**
     * The default context of the calling thread, which is on no context: fixed per thread (spread by
     * thread id), so that the processes one thread starts share an event loop and hand values to each
     * other without waking another thread, while different threads spread over the event loops.
     */
    private ContextInternal homeContext() {
        return defaults[Dispatchers.homeIndex(defaults.length)];
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("VertxDispatcher is closed: create a new one, or bind another"
                + " dispatcher");
    }

    /** {@code delay} in whole milliseconds, rounded up (never early); saturates; {@code <= 0} for none. */
    static long ceilMillis(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return 0;
        }
        try {
            long nanos = delay.toNanos();
            return nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
        } catch (ArithmeticException tooLongForNanos) {
            try {
                return Math.addExact(delay.toMillis(), 1);
            } catch (ArithmeticException tooLongForMillis) {
                return Long.MAX_VALUE;
            }
        }
    }
}
