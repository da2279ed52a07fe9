package io.csp4j.internal;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Csp;
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
 * ready at once nobody else can commit the flag and the default wins.
 *
 * <p>Differences from core.async: a {@code null} channel is never ready (Go's nil channel); a put
 * and a take of one alts on one channel never match each other (see {@link Handler#commitPair}).
 */
public final class Alts {

    private Alts() {}

    /** Blocking/parking alts. {@code hasDefault} makes it return {@code defaultValue} when nothing is ready. */
    public static AltResult alts(List<AltOp> ops, boolean priority, boolean hasDefault, Object defaultValue) {
        GoProcess p = GoProcess.current();
        if (!hasDefault) {
            if (p == null) {
                Engine.checkMayBlock("alts()", "altsAsync()");
            } else {
                p.checkCancelled("alts()"); // a park point (with a default, alts never parks)
            }
        }
        ParkingHandler waiter = new ParkingHandler(p);
        AltFlag flag = new AltFlag(waiter);
        AltHandler[] handlers = new AltHandler[ops.size()];
        AltResult now = register(ops, priority, hasDefault, defaultValue, flag, handlers);
        if (now != null) {
            return now;
        }
        Object r = waiter.await(h -> flag.commit() && removeAll(ops, handlers, -1), "alts()", ops);
        int winner = waiter.index;
        removeAll(ops, handlers, winner);
        return new AltResult(r, ops.get(winner).channel());
    }

    /** Async alts: the stage completes on the dispatcher with the result. */
    public static CompletionStage<AltResult> altsAsync(List<AltOp> ops, boolean priority, boolean hasDefault,
                                                       Object defaultValue) {
        Executor lane = Engine.dispatcher().lane();
        DispatchedFuture<AltResult> f = new DispatchedFuture<>(lane);
        AltHandler[] handlers = new AltHandler[ops.size()];
        CallbackHandler[] self = new CallbackHandler[1];
        self[0] = new CallbackHandler(lane, r -> {
            int winner = self[0].index;
            removeAll(ops, handlers, winner);
            f.complete(new AltResult(r, ops.get(winner).channel()));
        });
        AltFlag flag = new AltFlag(self[0]);
        AltResult now = register(ops, priority, hasDefault, defaultValue, flag, handlers);
        if (now != null) {
            lane.execute(() -> f.complete(now));
        }
        return f;
    }

    /**
     * Registers the operations in turn until one completes at once.
     *
     * @return the result if alts is decided now (an immediate operation, or the default), else
     *     {@code null}: the flag's waiter will fire
     */
    private static AltResult register(List<AltOp> ops, boolean priority, boolean hasDefault, Object defaultValue,
                                      AltFlag flag, AltHandler[] handlers) {
        int n = ops.size();
        for (AltOp op : ops) {
            channel(Objects.requireNonNull(op, "alts operation").channel()); // fail before registering any
        }
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
        if (hasDefault && flag.commit()) {
            return new AltResult(defaultValue, Csp.DEFAULT);
        }
        return null;
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
