package io.csp4j.internal;

import io.csp4j.DeadlineExceededException;
import io.csp4j.ProcessCancelledException;
import io.csp4j.spi.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The engine of a structured scope ({@code Scope}, {@code FirstSuccess}): the processes started in
 * it, how their outcomes combine, its deadline, and waiting for them all.
 *
 * <p>Overview. Every child is a {@link GoProcess} whose scope is this object. A child's end is
 * recorded once, under this object's lock, as one of the {@link Child} states; {@link #running}
 * counts children not yet ended and {@link #allEnded} completes when it reaches zero. Waiting
 * ({@link #join}, {@link #close}) is {@code await} on that future: it parks a process and blocks a
 * thread, so a scope opened inside a go block never blocks the lane.
 *
 * <p>Outcomes (ADR 0011 and 0012). A child that throws a {@link CancellationException} after it was
 * cancelled was cancelled; anything else it throws is a real failure. The first real failure is
 * the scope's failure; later ones are attached to it as suppressed, once; cancellations are never
 * attached. Under {@link Policy#ALL_SUCCEED} the first real failure cancels the siblings; under
 * {@link Policy#FIRST_SUCCESS} the first success that arrives while the scope is not cancelled wins
 * and cancels the others (results arriving later are ignored by the policy, but stay readable on
 * their task). {@link #join} reports, in this order: a real failure (ALL) or the winner (FIRST);
 * then the deadline ({@link DeadlineExceededException}, its own type); then a cancellation of the
 * scope ({@link ProcessCancelledException}).
 *
 * <pre>
 * scope state   entered by                                    effect
 * open          creation                                      go() starts children
 * cancelled     cancel(), deadline, ALL's first failure,      running children are cancelled; go() makes
 *               FIRST's winner, the owner process cancelled   a task that never runs (CANCELLED)
 * closed        close()                                       go() is refused; close waits for all
 * </pre>
 *
 * <p>Nesting: a scope opened inside a process (its {@link #owner}) registers with it, so cancelling
 * that process cancels the scope's children at once, wherever the owner is parked.
 */
public final class ScopeCore {

    /** How the children's outcomes combine. */
    public enum Policy {
        /** Every child must succeed; the first failure cancels the rest and is rethrown by join. */
        ALL_SUCCEED,
        /** The first child to succeed wins and cancels the rest; join returns its value. */
        FIRST_SUCCESS
    }

    /** One child process and its outcome. */
    public static final class Child {
        /** Still running (or not yet started). */
        public static final int RUNNING = 0;
        /** Returned normally; {@link #value} holds its result. */
        public static final int SUCCEEDED = 1;
        /** Threw something other than the cancellation it was sent; {@link #error} holds it. */
        public static final int FAILED = 2;
        /** Ended by cancellation, or never ran because the scope was cancelled before it started. */
        public static final int CANCELLED = 3;

        final GoProcess process;
        private volatile int state = RUNNING;
        private Object value;
        private Throwable error;

        Child(GoProcess process) {
            this.process = process;
        }

        /** One of the state constants above. */
        public int state() {
            return state;
        }

        /** The result; meaningful once {@link #state()} is {@link #SUCCEEDED}. */
        public Object value() {
            return value;
        }

        /** The exception; meaningful once {@link #state()} is FAILED or CANCELLED (null if it never ran). */
        public Throwable error() {
            return error;
        }

        /** The child's process. */
        public GoProcess process() {
            return process;
        }
    }

    private final Policy policy;
    private final GoProcess owner;
    private final Runnable onOwnerCancelled = this::cancel;
    private final Cancellable deadline;
    private final Duration timeout;

    // Guarded by this.
    private final Set<Child> live = new LinkedHashSet<>();
    private int running;
    private CompletableFuture<Void> allEnded = CompletableFuture.completedFuture(null);
    private boolean cancelled;
    private boolean timedOut;
    private boolean closed;
    private boolean anyCancelled;
    private Child winner;
    private Throwable failure;
    private final List<Throwable> suppressed = new ArrayList<>(0);
    /** How many of {@link #suppressed} are attached to {@link #failure} already. */
    private int attached;
    /** Whether join has handed {@link #failure} to the caller. */
    private boolean failureSeen;
    /** The exception join throws for the deadline: withTimeoutOrNull recognises its own by identity. */
    private DeadlineExceededException deadlineError;

    /**
     * Opens a scope in the calling context: inside a process, that process becomes its owner.
     *
     * @param timeout the deadline of the whole scope, from now, or {@code null} for none
     */
    public ScopeCore(Policy policy, Duration timeout) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.timeout = timeout;
        this.owner = GoProcess.current();
        if (owner != null) {
            owner.addCancelListener(onOwnerCancelled); // runs at once if the owner is cancelled already
        }
        if (timeout != null) {
            if (timeout.isNegative()) {
                timeout = Duration.ZERO;
            }
            deadline = Engine.dispatcher().schedule(timeout, this::expire);
        } else {
            deadline = null;
        }
    }

    /**
     * Starts {@code body} as a child process.
     *
     * @throws IllegalStateException if the scope is closed
     */
    public Child start(Processes.Body<?> body, String name) {
        Objects.requireNonNull(body, "body");
        Child[] self = new Child[1];
        GoProcess p = Processes.create(Engine.processMode(), () -> run(self[0], body), name, this);
        Child c = new Child(p);
        self[0] = c;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("This scope is closed: start its processes inside the"
                        + " try-with-resources block, before close()");
            }
            if (cancelled) {
                p.cancel();
                c.state = Child.CANCELLED; // never runs: the scope is cancelled
                anyCancelled = true;
                return c;
            }
            if (running++ == 0) {
                allEnded = new CompletableFuture<>();
            }
            live.add(c);
        }
        p.start();
        return c;
    }

    private void run(Child c, Processes.Body<?> body) {
        Object v = null;
        Throwable err = null;
        try {
            v = body.run();
        } catch (Throwable t) {
            err = t;
        }
        ended(c, v, err);
    }

    /** Records a child's end, applies the policy, and completes {@link #allEnded} after the last one. */
    private void ended(Child c, Object v, Throwable err) {
        boolean cancelOthers = false;
        CompletableFuture<Void> done = null;
        synchronized (this) {
            if (err == null) {
                c.value = v;
                c.state = Child.SUCCEEDED;
                if (policy == Policy.FIRST_SUCCESS && winner == null && !cancelled) {
                    winner = c;
                    cancelOthers = true;
                }
            } else if (err instanceof CancellationException && c.process.isCancelled()) {
                c.error = err;
                c.state = Child.CANCELLED;
                anyCancelled = true;
            } else {
                c.error = err;
                c.state = Child.FAILED;
                if (policy == Policy.FIRST_SUCCESS && winner != null) {
                    // the race is decided: a loser's failure stays on its task only
                } else if (failure == null) {
                    failure = err;
                    cancelOthers = policy == Policy.ALL_SUCCEED;
                } else if (err != failure && !suppressed.contains(err)) {
                    suppressed.add(err);
                }
            }
            live.remove(c);
            if (--running == 0) {
                done = allEnded;
            }
        }
        if (cancelOthers) {
            cancel();
        }
        if (done != null) {
            done.complete(null);
        }
    }

    /** Cancels every running child; children started later never run. Idempotent, never blocks. */
    public void cancel() {
        Child[] toCancel;
        synchronized (this) {
            cancelled = true;
            toCancel = live.toArray(new Child[0]);
        }
        for (Child c : toCancel) {
            c.process.cancel();
        }
    }

    private void expire() {
        synchronized (this) {
            if (closed && running == 0) {
                return;
            }
            timedOut = true;
        }
        cancel();
    }

    /** Whether the scope was cancelled (for any reason: cancel, deadline, policy, owner). */
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /**
     * Waits for every child, then reports the outcome: returns the winner's value (FIRST) or
     * {@code null} (ALL), or throws. If the waiting process is cancelled (or the waiting thread
     * interrupted), cancels the children, waits for them without being cancellable, and rethrows.
     */
    public Object join() {
        GoProcess me = GoProcess.current();
        if (me != null && me.scope() == this) {
            throw new IllegalStateException("join() called by a process of this scope would wait for itself:"
                    + " join from the code that opened the scope");
        }
        try {
            if (me != null) {
                me.checkCancelled("join()");
            }
            for (;;) {
                CompletableFuture<Void> f;
                synchronized (this) {
                    if (running == 0) {
                        break;
                    }
                    f = allEnded;
                }
                Processes.await(f);
            }
        } catch (RuntimeException | Error e) {
            cancel();
            awaitAllQuietly();
            throw e;
        }
        return outcome();
    }

    private synchronized Object outcome() {
        if (policy == Policy.FIRST_SUCCESS && winner != null) {
            failureSeen = true; // losers' failures stay on their tasks: the race has its answer
            attached = suppressed.size();
            return winner.value;
        }
        if (failure != null) {
            failureSeen = true;
            for (; attached < suppressed.size(); attached++) {
                failure.addSuppressed(suppressed.get(attached));
            }
            throw unchecked(failure);
        }
        if (timedOut && (anyCancelled || policy == Policy.FIRST_SUCCESS)) {
            if (deadlineError == null) {
                deadlineError = new DeadlineExceededException("The scope's deadline of " + timeout.toMillis()
                        + " ms passed before its processes " + (policy == Policy.FIRST_SUCCESS
                        ? "produced a result" : "ended") + "; they were cancelled");
            }
            throw deadlineError;
        }
        if (cancelled && (anyCancelled || policy == Policy.FIRST_SUCCESS)) {
            throw new ProcessCancelledException("The scope was cancelled before its processes "
                    + (policy == Policy.FIRST_SUCCESS ? "produced a result" : "ended"));
        }
        if (policy == Policy.FIRST_SUCCESS) {
            throw new java.util.NoSuchElementException("No process was started in this scope, so none could succeed");
        }
        return null;
    }

    /** Whether {@code e} is the deadline error that this scope's join threw. */
    public synchronized boolean isOwnDeadline(Throwable e) {
        return e != null && e == deadlineError;
    }

    /**
     * Cancels what still runs, waits for it (not cancellable, not interruptible), stops the timer and
     * reports a real failure that join never delivered. Throws nothing of its own (a blocking wait on
     * a dispatcher thread is refused as everywhere else). Idempotent.
     */
    public void close() {
        GoProcess me = GoProcess.current();
        if (me != null && me.scope() == this) {
            throw new IllegalStateException("close() called by a process of this scope would wait for itself:"
                    + " close the scope from the code that opened it");
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean stillRunning;
        synchronized (this) {
            stillRunning = running > 0;
        }
        if (stillRunning) {
            cancel();
            awaitAllQuietly();
        }
        if (deadline != null) {
            deadline.cancel();
        }
        if (owner != null) {
            owner.removeCancelListener(onOwnerCancelled);
        }
        List<Throwable> unseen = new ArrayList<>();
        synchronized (this) {
            if (failure != null && !failureSeen) {
                unseen.add(failure);
                unseen.addAll(suppressed);
            } else {
                unseen.addAll(suppressed.subList(attached, suppressed.size()));
            }
            failureSeen = true;
            attached = suppressed.size();
        }
        unseen.forEach(Engine::report); // nothing is lost: a failure nobody joined goes to the handler
    }

    /** Waits for every child to end, ignoring this process's cancellation and this thread's interrupts. */
    private void awaitAllQuietly() {
        GoProcess me = GoProcess.current();
        if (me != null) {
            me.enterNonCancellable();
        }
        boolean interrupted = false;
        try {
            for (;;) {
                CompletableFuture<Void> f;
                synchronized (this) {
                    if (running == 0) {
                        break;
                    }
                    f = allEnded;
                }
                if (me != null) {
                    Processes.await(f);
                } else {
                    Engine.checkMayBlock("closing a scope", "close the scope inside go(...)");
                    try {
                        f.join();
                    } catch (CancellationException | CompletionException ignored) {
                        // allEnded only ever completes normally
                    }
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (me != null) {
                me.exitNonCancellable();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new CompletionException(t);
    }

    @Override
    public synchronized String toString() {
        return "scope[" + policy + ", running=" + running + (cancelled ? ", cancelled" : "")
                + (timedOut ? ", timed out" : "") + (closed ? ", closed" : "") + "]";
    }
}
