package io.csp4j.internal;

import io.csp4j.Buffer;
import io.csp4j.Chan;
import io.csp4j.Xform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The channel: core.async's {@code ManyToManyChannel} (clojure/core/async/impl/channels.clj).
 *
 * <p>Overview of implementation. One lock guards everything: the queue of pending takers, the queue
 * of pending putters (each carries its value), the buffer and the closed flag. The lock is the
 * channel's own ({@link ChannelLock}: acquired with a compare-and-set, released without a fence). Every operation runs
 * to completion under the lock, so operations are linearizable. Handlers that complete are
 * collected and fired after the lock is released, so no wake-up, callback or user code runs under
 * the lock (the transformation is the exception, by design: it is applied atomically).
 *
 * <p>Invariants (while the lock is free):
 * <ul>
 *   <li>pending takers exist only when the buffer is absent or empty;</li>
 *   <li>pending putters exist only when the buffer is absent or full (never with an unblocking
 *       buffer);</li>
 *   <li>each queue holds at most {@link #maxPending} handlers (core.async's 1024);</li>
 *   <li>once {@link #closed} is true it stays true, and no taker is pending.</li>
 * </ul>
 *
 * <pre>
 * put(v):  closed -> false | room in buffer -> add (through xform), feed pending takers -> true
 *          | a pending taker -> hand over -> true | else enqueue the putter (or NONE for offer)
 * take():  buffer has values -> remove one, refill from pending putters | a pending putter -> its value
 *          | closed -> null | else enqueue the taker (or NONE for poll)
 * close(): closed = true; flush the xform; pending takers get the buffer's values, then null;
 *          pending putters stay, to be delivered to later takers
 * </pre>
 *
 * <p>Differences from core.async: a handler that belongs to an alts never matches a handler of the
 * same alts (Go's rule; core.async would let a put and a take of one alts meet); a put on a closed
 * channel does not commit an alts that already lost; inactive handlers are purged when a queue
 * reaches its limit rather than every 64 operations; the ex-handler's value bypasses the xform as
 * in core.async.
 *
 * <p>Not final for one subclass: {@link Timers.TimeoutChannel} overrides the hooks
 * {@link #takerPending()} and {@link #noTakerPending()}, called under the lock, to be held by its
 * timer only while a taker waits (issue 18, docs/adr/0016).
 *
 * @param <T> the element type
 */
public class ManyToManyChannel<T> extends ChannelLock implements Chan<T>, ParkingHandler.Canceller {

    private static final Boolean TRUE = Boolean.TRUE;
    private static final Boolean FALSE = Boolean.FALSE;

    /**
     * The queue of a channel with nothing pending yet, shared by all: read-only operations on an
     * empty ArrayDeque write nothing, and the only writes ({@code addLast}) replace it first. Most
     * channels (a go block's result, a timeout) never have a pending operation, and two small queues
     * each would be a third of a parked process's heap.
     */
    private static final ArrayDeque<Handler> NOTHING_PENDING = new ArrayDeque<>(0);

    private ArrayDeque<Handler> takes = NOTHING_PENDING;
    private ArrayDeque<Handler> puts = NOTHING_PENDING;
    private final Buffer<T> buf;
    private final Xform.Sink<T> add;
    private final Function<? super Throwable, ? extends T> exHandler;
    private final int maxPending;
    private final String name;
    private volatile boolean closed;
    /** Whether the transformation's completion (its final flush) has run. */
    private boolean completed;

    /**
     * @param buf the buffer, or {@code null} for a rendezvous channel
     * @param xform the transformation, or {@code null}; needs a buffer
     * @param exHandler what to do with an exception of the transformation (its non-null result is
     *     added to the buffer), or {@code null} to report it and drop the value
     * @param maxPending the limit of pending puts and of pending takes, or 0 for the default
     * @param name for {@link #toString()}, or {@code null}
     */
    @SuppressWarnings("unchecked")
    public ManyToManyChannel(Buffer<T> buf, Xform<?, ? extends T> xform,
                                 Function<? super Throwable, ? extends T> exHandler, int maxPending, String name) {
        if (xform != null && buf == null) {
            throw new IllegalArgumentException("A channel with a transformation needs a buffer: use chan(n, xform)"
                    + " or chan(buffer, xform) with n >= 1");
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("maxPending must be >= 1 (or 0 for the default), was " + maxPending);
        }
        this.buf = buf;
        this.exHandler = exHandler;
        this.maxPending = maxPending == 0 ? Engine.defaultMaxPending() : maxPending;
        this.name = name;
        if (xform != null) {
            Xform.Sink<T> terminal = new Xform.Sink<>() {
                @Override
                public boolean accept(T v) {
                    buf.add(Objects.requireNonNull(v, "a transformation produced null"));
                    return true;
                }
            };
            this.add = (Xform.Sink<T>) ((Xform<Object, T>) (Xform<?, ?>) xform).bind(terminal);
        } else {
            this.add = null;
        }
    }

    /** A rendezvous channel with the default limits. */
    public ManyToManyChannel() {
        this(null, null, null, 0, null);
    }

    // ---------------------------------------------------------------- the protocol (core.async impl)

    /**
     * Puts {@code val} on behalf of {@code h}; {@code h == null} means "only if it can be done now".
     *
     * @return {@code TRUE}/{@code FALSE} if the put completed now, else {@link Handler#NONE} (enqueued,
     *     or not possible now for a non-blockable handler, or {@code h} already committed elsewhere)
     */
    Object put(T val, Handler h) {
        Objects.requireNonNull(val, "Can't put null on a channel");
        lock();
        try {
            if (closed) {
                unlock();
                return h == null || Handler.commitOne(h) ? FALSE : Handler.NONE;
            }
            if (buf != null && !buf.isFull()) {
                if (h != null && !Handler.commitOne(h)) {
                    unlock();
                    return Handler.NONE;
                }
                boolean done = !addToBuffer(val);
                Fires fires = feedTakers(null);
                if (done) {
                    fires = abort(fires);
                }
                unlock();
                Fires.fireAll(fires);
                return TRUE;
            }
            // Rendezvous, or a full buffer (then no taker waits): hand over to a pending taker.
            Handler taker = commitFirst(takes, h);
            if (taker != null) {
                unlock();
                taker.fire(val);
                return TRUE;
            }
            if (h == null || !h.isBlockable() || !h.isActive()) {
                unlock();
                return Handler.NONE;
            }
            if (puts.size() >= maxPending && purge(puts) >= maxPending) {
                JfrEvents.pendingLimit(this, "puts", maxPending, true);
                unlock();
                throw new IllegalStateException(tooManyPending("puts"));
            }
            h.putValue = val;
            if (puts == NOTHING_PENDING) {
                puts = new ArrayDeque<>(2);
            }
            puts.addLast(h);
            if (puts.size() == maxPending) {
                JfrEvents.pendingLimit(this, "puts", maxPending, false);
            }
            unlock();
            return Handler.NONE;
        } catch (Throwable t) {
            unlockAfterFailure();
            throw t;
        }
    }

    /**
     * Takes on behalf of {@code h}; {@code h == null} means "only if it can be done now".
     *
     * @return the value (or {@code null} when closed and drained) if the take completed now, else
     *     {@link Handler#NONE}
     */
    Object take(Handler h) {
        lock();
        try {
            if (buf != null && buf.size() > 0) {
                if (h != null && !Handler.commitOne(h)) {
                    unlock();
                    return Handler.NONE;
                }
                T val = buf.remove();
                Fires fires = null;
                boolean done = false;
                // Refill from pending putters, now that there is room.
                while (!done && !buf.isFull() && !puts.isEmpty()) {
                    Handler putter = puts.pollFirst();
                    if (Handler.commitOne(putter)) {
                        @SuppressWarnings("unchecked")
                        T v = (T) putter.putValue;
                        done = !addToBuffer(v);
                        fires = Fires.add(fires, putter, TRUE);
                    }
                }
                if (done) {
                    fires = abort(fires);
                } else if (closed && puts.isEmpty()) {
                    fires = complete(fires); // the last putter that outlived close() is in: flush now
                }
                unlock();
                Fires.fireAll(fires);
                return val;
            }
            Handler putter = commitFirst(puts, h);
            if (putter != null) {
                unlock();
                putter.fire(TRUE);
                return putter.putValue;
            }
            if (closed) {
                unlock();
                return h == null || Handler.commitOne(h) ? null : Handler.NONE;
            }
            if (h == null || !h.isBlockable() || !h.isActive()) {
                unlock();
                return Handler.NONE;
            }
            if (takes.size() >= maxPending && purge(takes) >= maxPending) {
                JfrEvents.pendingLimit(this, "takes", maxPending, true);
                unlock();
                throw new IllegalStateException(tooManyPending("takes"));
            }
            if (takes == NOTHING_PENDING) {
                takes = new ArrayDeque<>(2);
            }
            takes.addLast(h);
            if (takes.size() == maxPending) {
                JfrEvents.pendingLimit(this, "takes", maxPending, false);
            }
            takerPending();
            unlock();
            return Handler.NONE;
        } catch (Throwable t) {
            unlockAfterFailure();
            throw t;
        }
    }

    /**
     * The first handler of {@code pending} (the takers for a put, the putters for a take) that commits
     * together with {@code h} ({@code h == null}: alone), removed from the queue; handlers found
     * inactive on the way are dropped. {@code null} if none commits, or if {@code h} stops being active
     * meanwhile (another channel of its {@code alts} won). Holds the lock.
     *
     * <p>The usual case is decided at the head without an iterator: the first handler commits, or it is
     * stale and goes. Only an active head that cannot pair with {@code h} (a put and a take of one
     * {@code alts} on one channel) makes it look further.
     */
    private static Handler commitFirst(ArrayDeque<Handler> pending, Handler h) {
        Handler first;
        while ((first = pending.peekFirst()) != null) {
            if (h == null ? Handler.commitOne(first) : Handler.commitPair(h, first)) {
                pending.pollFirst();
                return first;
            }
            if (h != null && !h.isActive()) {
                if (!first.isActive()) {
                    pending.pollFirst();
                }
                return null;
            }
            if (first.isActive()) {
                break;
            }
            pending.pollFirst();
        }
        if (first == null) {
            return null;
        }
        Iterator<Handler> it = pending.iterator();
        it.next(); // the active head that could not pair with h
        while (it.hasNext()) {
            Handler other = it.next();
            if (h == null ? Handler.commitOne(other) : Handler.commitPair(h, other)) {
                it.remove();
                return other;
            }
            if (!other.isActive()) {
                it.remove();
            }
            if (h != null && !h.isActive()) {
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() {
        lock();
        if (closed) {
            unlock();
            return;
        }
        Fires fires;
        try {
            fires = closeLocked(null);
        } catch (Throwable t) {
            unlockAfterFailure();
            throw t;
        }
        unlock();
        Fires.fireAll(fires);
    }

    /**
     * Releases the lock after a failure under it (a {@link Buffer} of the user's that threw), so that
     * the channel stays usable; a no-op if the failure came after the lock was released (a fire).
     */
    private void unlockAfterFailure() {
        if (isHeldByCurrentThread()) {
            unlock();
        }
    }

    /**
     * Withdraws {@code h} if it is still pending here (an interrupted or pinned waiter).
     *
     * @return true if withdrawn (it will never fire); false if it completed or is completing
     */
    @Override
    public boolean cancel(ParkingHandler h) {
        return cancel((Handler) h);
    }

    boolean cancel(Handler h) {
        lock();
        try {
            if (!Handler.commitOne(h)) {
                return false;
            }
            if (!takes.removeFirstOccurrence(h)) {
                puts.removeFirstOccurrence(h);
            } else if (takes.isEmpty()) {
                noTakerPending();
            }
            return true;
        } finally {
            unlock();
        }
    }

    /** Removes a handler that lost an alts, so that it takes no room in the queues. */
    void remove(Handler h) {
        lock();
        try {
            if (!takes.removeFirstOccurrence(h)) {
                puts.removeFirstOccurrence(h);
            } else if (takes.isEmpty()) {
                noTakerPending();
            }
        } finally {
            unlock();
        }
    }

    /**
     * Called under the lock each time a taker is enqueued. A timeout channel overrides it to make
     * itself strongly reachable from its timer while someone waits on it (see {@link Timers}).
     */
    void takerPending() {}

    /**
     * Called under the lock when a withdrawn or losing taker leaves the queue empty (not when takers
     * complete: the channel is then closing or handing over, and keeping it a little longer is
     * harmless). A timeout channel overrides it to become collectable again.
     */
    void noTakerPending() {}

    /**
     * Whether a take would complete now (a value buffered, an active putter waiting, or closed), for
     * an {@code alts} with a default that holds this channel's lock together with its other channels'
     * ({@link Alts}). The caller holds the lock.
     */
    boolean takeWouldCompleteLocked() {
        return (buf != null && buf.size() > 0) || closed || anyActive(puts);
    }

    /** Whether a put would complete now (room in the buffer, an active taker waiting, or closed); as above. */
    boolean putWouldCompleteLocked() {
        return closed || (buf != null && !buf.isFull()) || anyActive(takes);
    }

    private static boolean anyActive(ArrayDeque<Handler> pending) {
        for (Handler h : pending) {
            if (h.isActive()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers, all under the lock

    private Fires closeLocked(Fires fires) {
        closed = true;
        if (puts.isEmpty()) {
            complete(null);
        }
        for (Handler taker; (taker = takes.pollFirst()) != null; ) {
            if (Handler.commitOne(taker)) {
                T v = buf != null && buf.size() > 0 ? buf.remove() : null;
                fires = Fires.add(fires, taker, v);
            }
        }
        if (buf != null) {
            buf.onClose();
        }
        return fires;
    }

    /**
     * Runs the transformation's completion once, after close and once no putter is pending (so a
     * final partial partition follows every value), then feeds pending takers (for the caller).
     */
    private Fires complete(Fires fires) {
        if (add == null || completed) {
            return fires;
        }
        completed = true;
        try {
            add.complete();
        } catch (Throwable t) {
            handleXformError(t);
        }
        return fires;
    }

    /** The transformation said "reduced": pending putters are told their value was accepted, then close. */
    private Fires abort(Fires fires) {
        for (Handler putter; (putter = puts.pollFirst()) != null; ) {
            if (Handler.commitOne(putter)) {
                fires = Fires.add(fires, putter, TRUE);
            }
        }
        return closed ? fires : closeLocked(fires);
    }

    /** Gives buffered values to pending takers, in order. */
    private Fires feedTakers(Fires fires) {
        while (buf.size() > 0 && !takes.isEmpty()) {
            Handler taker = takes.pollFirst();
            if (Handler.commitOne(taker)) {
                fires = Fires.add(fires, taker, buf.remove());
            }
        }
        return fires;
    }

    /** Adds through the transformation; false when it is reduced. */
    private boolean addToBuffer(T val) {
        if (add == null) {
            buf.add(val);
            return true;
        }
        try {
            return add.accept(val);
        } catch (Throwable t) {
            handleXformError(t);
            return true;
        }
    }

    private void handleXformError(Throwable t) {
        if (exHandler == null) {
            Engine.report(t);
            return;
        }
        T replacement;
        try {
            replacement = exHandler.apply(t);
        } catch (Throwable again) {
            again.addSuppressed(t);
            Engine.report(again);
            return;
        }
        if (replacement != null) {
            buf.add(replacement);
        }
    }

    /** Drops handlers that can no longer be committed; returns the queue's new size. */
    private static int purge(ArrayDeque<Handler> queue) {
        queue.removeIf(x -> !x.isActive());
        return queue.size();
    }

    // ---------------------------------------------------------------- Chan

    @Override
    public boolean put(T value) {
        GoProcess p = GoProcess.current();
        if (p == null) {
            Engine.checkMayBlock("put()", "putAsync()");
        } else {
            p.checkCancelled("put()"); // a park point: a cancelled process goes no further (sticky)
        }
        // First as an offer: most puts on a buffered channel complete at once and then need no
        // handler; one that must wait makes its handler and tries again. On a rendezvous channel,
        // only if a taker seems to wait (a racy hint: both paths take the lock and decide there).
        Object r;
        if (buf != null || !takes.isEmpty() || closed) { // isEmpty: two int reads, safe racily
            r = put(value, null);
            if (r != Handler.NONE) {
                return (Boolean) r;
            }
        }
        ParkingHandler h = new ParkingHandler(p);
        r = put(value, h);
        if (r != Handler.NONE) {
            return (Boolean) r;
        }
        return (Boolean) h.await(this, "put()", this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T take() {
        GoProcess p = GoProcess.current();
        if (p == null) {
            Engine.checkMayBlock("take()", "takeAsync()");
        } else {
            p.checkCancelled("take()"); // a park point: a cancelled process goes no further (sticky)
        }
        Object r;
        if (buf != null || !puts.isEmpty() || closed) { // as a poll first, as put() does
            r = take(null);
            if (r != Handler.NONE) {
                return (T) r;
            }
        }
        ParkingHandler h = new ParkingHandler(p);
        r = take(h);
        if (r != Handler.NONE) {
            return (T) r;
        }
        return (T) h.await(this, "take()", this);
    }

    @Override
    public boolean offer(T value) {
        return put(value, null) == TRUE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        Object r = take(null);
        return r == Handler.NONE ? null : (T) r;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletionStage<Boolean> putAsync(T value) {
        DispatchedFuture<Boolean> f = new DispatchedFuture<>(Engine.dispatcher().lane());
        putAsync(value, f::complete, f.lane());
        return f;
    }

    @Override
    public void putAsync(T value, Consumer<? super Boolean> callback) {
        Objects.requireNonNull(callback, "callback");
        putAsync(value, callback, Engine.dispatcher().lane());
    }

    private void putAsync(T value, Consumer<? super Boolean> callback, Executor lane) {
        Objects.requireNonNull(value, "Can't put null on a channel");
        CallbackHandler h = new CallbackHandler(lane, callback);
        Object r = put(value, h);
        if (r != Handler.NONE) {
            h.fire(r);
        }
    }

    @Override
    public CompletionStage<T> takeAsync() {
        DispatchedFuture<T> f = new DispatchedFuture<>(Engine.dispatcher().lane());
        takeAsync(f::complete, f.lane());
        return f;
    }

    @Override
    public void takeAsync(Consumer<? super T> callback) {
        Objects.requireNonNull(callback, "callback");
        takeAsync(callback, Engine.dispatcher().lane());
    }

    private void takeAsync(Consumer<? super T> callback, Executor lane) {
        CallbackHandler h = new CallbackHandler(lane, callback);
        Object r = take(h);
        if (r != Handler.NONE) {
            h.fire(r);
        }
    }

    /** Pending puts, for tests and diagnostics. */
    public int pendingPuts() {
        lock();
        try {
            return puts.size();
        } finally {
            unlock();
        }
    }

    /** Pending takes, for tests and diagnostics. */
    public int pendingTakes() {
        lock();
        try {
            return takes.size();
        } finally {
            unlock();
        }
    }

    /** Values in the buffer now, for tests and diagnostics. */
    public int buffered() {
        lock();
        try {
            return buf == null ? 0 : buf.size();
        } finally {
            unlock();
        }
    }

    /**
     * The message of the pending-limit error. Its first sentence is core.async's, kept exactly (the
     * TCK checks it, clause 2.11); the rest names this channel and the two remedies. Called under the
     * lock (reads {@code buf}). Pinned by PendingLimitTest.
     */
    private String tooManyPending(String side) {
        String first = "No more than " + maxPending + " pending " + side + " are allowed on a single channel.";
        String which = (name != null ? "Channel '" + name + "'" : "This channel") + " ("
                + (buf == null ? "unbuffered" : buf.toString()) + ")";
        if (side.equals("puts")) {
            return first + " " + which + " already has " + maxPending + " putters waiting for a taker: give it a"
                    + " buffer (chan(n); Buffers.dropping(n) or sliding(n) never make a put wait), or raise the"
                    + " limit with Csp.chanBuilder().maxPending(n) (or -D" + Engine.MAX_PENDING_PROPERTY
                    + "=n for every channel).";
        }
        return first + " " + which + " already has " + maxPending + " takers waiting for a value: take from"
                + " fewer processes at once (one taker can hand values on), or raise the limit with"
                + " Csp.chanBuilder().maxPending(n) (or -D" + Engine.MAX_PENDING_PROPERTY + "=n for every channel).";
    }

    /** This channel's name from {@code chanBuilder().named(...)}, or {@code null}. */
    public String name() {
        return name;
    }

    /** The name shown by {@link #toString()}; a timeout channel says what it is. */
    String label() {
        return name != null ? name : "Chan";
    }

    /**
     * The name, the buffer's kind and fill, the pending puts and takes and whether closed, e.g.
     * {@code orders[fixed 3/8, 2 takes pending]} or {@code Chan[unbuffered, 1 put pending, closed]}.
     * Safe from any thread and never waits: if another thread holds the lock (an operation is under
     * way) the numbers are read without it and may be a moment out of date.
     */
    @Override
    public String toString() {
        boolean locked = tryLock();
        try {
            StringBuilder sb = new StringBuilder(48).append(label()).append('[');
            sb.append(ChannelBuffers.describe(buf));
            int p = puts.size();
            int t = takes.size();
            if (p > 0) {
                sb.append(", ").append(p).append(p == 1 ? " put" : " puts").append(" pending");
            }
            if (t > 0) {
                sb.append(", ").append(t).append(t == 1 ? " take" : " takes").append(" pending");
            }
            if (closed) {
                sb.append(", closed");
            }
            return sb.append(']').toString();
        } catch (RuntimeException racy) {
            // Read without the lock while a queue or the buffer changed shape: say so rather than fail.
            return label() + "[busy]";
        } finally {
            if (locked) {
                unlock();
            }
        }
    }

    /** Handlers completed under the lock, fired after it is released, in order. */
    private static final class Fires {
        private final ArrayList<Object> pairs = new ArrayList<>(4);

        static Fires add(Fires f, Handler h, Object result) {
            if (f == null) {
                f = new Fires();
            }
            f.pairs.add(h);
            f.pairs.add(result);
            return f;
        }

        static void fireAll(Fires f) {
            if (f == null) {
                return;
            }
            for (int i = 0; i < f.pairs.size(); i += 2) {
                ((Handler) f.pairs.get(i)).fire(f.pairs.get(i + 1));
            }
        }
    }
}
