package io.csp4j.internal;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Csp;
import io.csp4j.spi.Cancellable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code alts}: core.async's {@code do-alts}, built on the handler protocol alone.
 *
 * <p>Overview. One {@link AltFlag} is shared by an {@link AltHandler} per operation. The operations
 * are tried in random order (or in the given order with priority); the first that completes at once
 * commits the flag and ends the registration. Otherwise every operation stays registered and the
 * caller waits on the flag's waiter; the first channel to commit the flag fires it. Either way, the
 * handlers left in other channels are removed before {@code alts} returns, so losers never occupy a
 * channel's pending queue (tested by {@code AltsTest.manyAltsWithTimeoutsLeaveNoHandlerBehind}).
 *
 * <p>With a default, the handlers are not blockable: no channel enqueues them, so when nothing is
 * ready at once nobody else can commit the flag and the default wins. The operations are tried one
 * channel lock at a time, so before the default is taken the channels' locks are held all together
 * and none may complete at that instant (else they are tried again): the default is chosen only if
 * nothing was ready at one moment, as Go's {@code select} decides under all its channels' locks
 * (Go's TestNonblockSelectRace: a value that moves from one channel to the other while they are
 * looked at in turn must not let the default win).
 *
 * <p>With a deadline ({@code altsWithin}), the deadline is one more party that may commit the flag:
 * a dispatcher timer, armed only once every operation is registered and none won, whose task
 * commits the flag and fires the waiter with the index one past the last operation. Whoever wins,
 * the timer is cancelled before {@code alts} returns, so a deadline that did not expire costs
 * nothing afterwards (unlike {@code alts(c, timeout(d))}, which also makes a channel).
 *
 * <p>Differences from core.async: a {@code null} channel is never ready (Go's nil channel); a put
 * and a take of one alts on one channel never match each other (see {@link Handler#commitPair}).
 */
public final class Alts {

    private Alts() {}

    /** Blocking/parking alts. {@code hasDefault} makes it return {@code defaultValue} when nothing is ready. */
    public static AltResult alts(List<AltOp> ops, boolean priority, boolean hasDefault, Object defaultValue) {
        return alts(ops, priority, hasDefault, defaultValue, Csp.DEFAULT, null);
    }

    /**
     * Blocking/parking alts that waits at most {@code within}: kotlinx's {@code onTimeout}. No channel
     * is made; the dispatcher timer is armed only if nothing is ready at once, and cancelled as soon
     * as an operation wins. A zero or negative duration gives the operations one chance, like a
     * default. On timeout the result is {@code (null, Csp.TIMED_OUT)}.
     */
    public static AltResult altsWithin(List<AltOp> ops, boolean priority, Duration within) {
        Objects.requireNonNull(within, "duration");
        if (within.isNegative() || within.isZero()) {
            return alts(ops, priority, true, null, Csp.TIMED_OUT, null);
        }
        return alts(ops, priority, false, null, null, within);
    }

    private static AltResult alts(List<AltOp> ops, boolean priority, boolean hasDefault, Object defaultValue,
                                  Object defaultChannel, Duration within) {
        GoProcess p = GoProcess.current();
        if (!hasDefault) {
            if (p == null) {
                Engine.checkMayBlock("alts()", "altsAsync()");
            } else {
                p.checkCancelled("alts()"); // a park point (with a default, alts never parks)
            }
        }
        ParkingHandler.WithCanceller waiter = new ParkingHandler.WithCanceller(p);
        AltFlag flag = new AltFlag(waiter);
        AltHandler[] handlers = new AltHandler[ops.size()];
        AltResult now = register(ops, priority, hasDefault, defaultValue, defaultChannel, flag, handlers);
        if (now != null) {
            return now;
        }
        // Nothing was ready at once: arm the deadline, if any (and if no operation won meanwhile).
        // The timer's task refers to the waiter, so a process parked here with no other way to be
        // woken stays reachable until the deadline (tested by AltsWithinTest).
        int timedOut = ops.size();
        Cancellable timer = null;
        if (within != null && flag.active) {
            try {
                timer = Engine.dispatcher().schedule(within, () -> {
                    if (flag.commit()) {
                        flag.winner = timedOut;
                        waiter.fire(null);
                    }
                });
            } catch (RuntimeException e) {
                // A closed dispatcher: withdraw what is registered and fail, unless an operation won
                // meanwhile (its result is on its way to the waiter and must not be lost).
                if (flag.commit()) {
                    removeAll(ops, handlers, -1);
                    throw e;
                }
            }
        }
        Cancellable deadline = timer;
        Object r = waiter.await(h -> flag.commit() && cancel(deadline) && removeAll(ops, handlers, -1), "alts()", ops);
        int winner = flag.winner;
        if (winner == timedOut) {
            removeAll(ops, handlers, -1);
            return new AltResult(null, Csp.TIMED_OUT);
        }
        cancel(deadline); // an operation won: the deadline costs nothing more
        removeAll(ops, handlers, winner);
        return new AltResult(r, ops.get(winner).channel());
    }

    /** Cancels {@code timer} if there is one; returns true. */
    private static boolean cancel(Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
        return true;
    }

    /** Async alts: the stage completes on the dispatcher with the result. */
    public static CompletionStage<AltResult> altsAsync(List<AltOp> ops, boolean priority, boolean hasDefault,
                                                       Object defaultValue) {
        Executor lane = Engine.dispatcher().lane();
        DispatchedFuture<AltResult> f = new DispatchedFuture<>(lane);
        AltHandler[] handlers = new AltHandler[ops.size()];
        AltFlag[] flag = new AltFlag[1];
        CallbackHandler waiter = new CallbackHandler(lane, r -> {
            int winner = flag[0].winner;
            removeAll(ops, handlers, winner);
            f.complete(new AltResult(r, ops.get(winner).channel()));
        });
        flag[0] = new AltFlag(waiter);
        AltResult now = register(ops, priority, hasDefault, defaultValue, Csp.DEFAULT, flag[0], handlers);
        if (now != null) {
            lane.execute(() -> f.complete(now));
        }
        return f;
    }

    /**
     * Registers the operations in turn until one completes at once.
     *
     * @param defaultChannel the channel of the default's result: {@link Csp#DEFAULT}, or
     *     {@link Csp#TIMED_OUT} for an {@code altsWithin} of zero
     * @return the result if alts is decided now (an immediate operation, or the default), else
     *     {@code null}: the flag's waiter will fire
     */
    private static AltResult register(List<AltOp> ops, boolean priority, boolean hasDefault, Object defaultValue,
                                      Object defaultChannel, AltFlag flag, AltHandler[] handlers) {
        for (AltOp op : ops) {
            channel(Objects.requireNonNull(op, "alts operation").channel()); // fail before registering any
        }
        for (;;) {
            AltResult now = tryEach(ops, priority, hasDefault, flag, handlers);
            if (now != null || !hasDefault) {
                return now;
            }
            if (!anyWouldComplete(ops)) {
                break; // nothing could complete at one instant: the default wins
            }
            // One became ready behind the look (rare): look again.
        }
        if (flag.commit()) { // nobody else can commit it: no handler was enqueued
            return new AltResult(defaultValue, defaultChannel);
        }
        return null;
    }

    /**
     * Tries (registers, unless there is a default) each operation in turn, in random order or in the
     * given one, until one completes at once: returns its result, else {@code null}.
     */
    private static AltResult tryEach(List<AltOp> ops, boolean priority, boolean hasDefault, AltFlag flag,
                                     AltHandler[] handlers) {
        int n = ops.size();
        int[] order = order(n, priority);
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            AltOp op = Objects.requireNonNull(ops.get(i), "alts operation");
            ManyToManyChannel<Object> ch = channel(op.channel());
            if (ch == null) {
                continue; // a nil channel is never ready
            }
            AltHandler h = new AltHandler(flag, i, !hasDefault);
            handlers[i] = h;
            Object r;
            try {
                r = op.isPut() ? ch.put(op.value(), h) : ch.take(h);
            } catch (RuntimeException | Error e) {
                // e.g. the 1025th pending take: withdraw what is registered so far, then fail.
                // (tested by FaultInjectionTest.anAltsThatThrowsWhileRegisteringLeavesNoHandlerBehind)
                handlers[i] = null;
                if (flag.commit()) {
                    removeAll(ops, handlers, -1);
                }
                throw e;
            }
            if (r != Handler.NONE) {
                removeAll(ops, handlers, i);
                return new AltResult(r, op.channel());
            }
            if (!flag.active) {
                break; // an earlier operation fired meanwhile; the waiter has (or will have) its result
            }
        }
        return null;
    }

    /**
     * Whether one of {@code ops} could complete at one instant: with the locks of all their channels
     * held together (each taken at most once, a channel may appear twice). Never waits while it holds
     * a lock: it waits for a lock it could not take with none held, then tries the others again, so
     * two of these on the same channels cannot deadlock, nor can a put or take (which hold one lock).
     */
    private static boolean anyWouldComplete(List<AltOp> ops) {
        int n = ops.size();
        ManyToManyChannel<?>[] chans = new ManyToManyChannel<?>[n];
        int m = 0;
        for (AltOp op : ops) {
            ManyToManyChannel<Object> ch = channel(op.channel());
            if (ch != null && indexOf(chans, m, ch) < 0) {
                chans[m++] = ch;
            }
        }
        if (m == 0) {
            return false;
        }
        lockAll(chans, m);
        try {
            for (AltOp op : ops) {
                ManyToManyChannel<Object> ch = channel(op.channel());
                if (ch != null && (op.isPut() ? ch.putWouldCompleteLocked() : ch.takeWouldCompleteLocked())) {
                    return true;
                }
            }
            return false;
        } finally {
            for (int i = 0; i < m; i++) {
                chans[i].unlock();
            }
        }
    }

    /** Takes the locks of {@code chans[0..m)}: waits only for one lock at a time, holding none. */
    private static void lockAll(ManyToManyChannel<?>[] chans, int m) {
        int first = 0;
        for (;;) {
            chans[first].lock();
            int failed = -1;
            for (int i = 0; i < m; i++) {
                if (i != first && !chans[i].tryLock()) {
                    failed = i;
                    break;
                }
            }
            if (failed < 0) {
                return;
            }
            for (int i = 0; i < failed; i++) {
                if (i != first) {
                    chans[i].unlock();
                }
            }
            chans[first].unlock();
            first = failed; // wait for the busy one first, holding nothing
        }
    }

    private static int indexOf(Object[] a, int m, Object x) {
        for (int i = 0; i < m; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** A random permutation (Fisher-Yates), or null for the given order. */
    private static int[] order(int n, boolean priority) {
        if (priority || n < 2) {
            return null;
        }
        int[] order = new int[n];
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            int j = rnd.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        return order;
    }

    /** Removes every registered handler except the winner's from its channel; returns true. */
    private static boolean removeAll(List<AltOp> ops, AltHandler[] handlers, int winner) {
        for (int i = 0; i < handlers.length; i++) {
            AltHandler h = handlers[i];
            if (h != null && i != winner && h.isBlockable()) {
                channel(ops.get(i).channel()).remove(h);
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    static ManyToManyChannel<Object> channel(Object c) {
        if (c == null) {
            return null;
        }
        if (c instanceof ManyToManyChannel<?> m) {
            return (ManyToManyChannel<Object>) m;
        }
        if (c instanceof GoResult<?> g) {
            return (ManyToManyChannel<Object>) g.channel();
        }
        if (c instanceof io.csp4j.DelegatingPort d) {
            return channel(d.delegate()); // e.g. a remote port (csp4j-cluster): its local channel
        }
        throw new IllegalArgumentException("alts works on channels made by csp4j (chan(), timeout(), ...) and DelegatingPorts, not on "
                + c.getClass().getName());
    }
}
