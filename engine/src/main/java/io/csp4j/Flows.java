package io.csp4j;

import static io.csp4j.Csp.altsPriority;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.takeOp;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/*
 * Overview of implementation (see docs/adr/0008-flow-publisher-unicast.md for the decisions)
 *
 * Publisher: unicast, one subscriber at a time. Each subscription is one process that alone signals
 * the subscriber (so signals are serial, rule 1.3), holding a demand counter (saturating at
 * Long.MAX_VALUE, rule 3.17) and a control channel `ctl` (sliding(1)) that request/cancel poke:
 *
 *   onSubscribe; loop:
 *     cancelled                 -> end (close the channel if closeOnCancel)
 *     a request(n <= 0) came    -> onError(IllegalArgumentException) (rule 3.9); end
 *     demand == 0               -> wait on ctl
 *     altsPriority(take ctl, take channel)
 *        ctl   -> look again (alts withdrew the take: no value is consumed without demand)
 *        null  -> onComplete; end
 *        value -> demand--; onNext(value)
 *
 * request/cancel never signal and never recurse (rule 3.3): they update state and poke ctl.
 * A value is taken from the channel only while there is demand, so back-pressure reaches the
 * channel's producers. The subscriber's methods run inside the process: in loop mode on a
 * dispatcher thread, so they must not block (the spec asks the same, rule 2.2).
 *
 * Subscriber: requests `batch`, puts each onNext value with putAsync (never blocking the
 * publisher's thread), and requests `batch/2` more (at least 1) each time that many puts were
 * accepted, so at most `batch` puts are outstanding; a put that finds the channel closed cancels the
 * subscription. onComplete/onError close the channel (if asked) and complete `completion()`.
 */

/**
 * {@link java.util.concurrent.Flow} interop: a channel as a {@link Flow.Publisher} and a
 * {@link Flow.Subscriber} that feeds a channel, both with back-pressure.
 *
 * {@snippet :
 * Flow.Publisher<String> pub = Flows.publisher(lines);          // a channel as a Publisher
 * Chan<Event> events = chan(64);
 * somePublisher.subscribe(Flows.subscriber(events, 32));        // a Publisher into a channel
 * }
 */
public final class Flows {

    private Flows() {}

    /**
     * A publisher of the values of {@code ch} that leaves the channel open when a subscriber cancels.
     *
     * @see #publisher(ReadPort, boolean)
     */
    public static <T> Flow.Publisher<T> publisher(ReadPort<? extends T> ch) {
        return publisher(ch, false);
    }

    /**
     * A {@link Flow.Publisher} of the values of {@code ch}, passing the Reactive Streams TCK.
     *
     * <ul>
     *   <li><b>Unicast</b>: one subscriber at a time; each value goes to exactly one subscriber (it is
     *       taken from the channel). A second subscriber while one is active gets {@code onSubscribe}
     *       then {@code onError(IllegalStateException)}. After a subscriber cancels (or completes),
     *       another may subscribe and receives the values from there on. For multicast, use a
     *       {@link Mult} and one publisher per tap.</li>
     *   <li><b>Back-pressure</b>: a value is taken from the channel only when the subscriber has
     *       requested it, so the channel's producers park while the subscriber does not request.</li>
     *   <li>When the channel is closed and drained: {@code onComplete}.</li>
     *   <li>Signals come from a go block: in loop mode on a dispatcher thread, so the subscriber's
     *       methods must not block. What they throw cancels the subscription and is reported.</li>
     * </ul>
     *
     * {@snippet :
     * Flow.Publisher<Integer> p = Flows.publisher(numbers, true);
     * p.subscribe(new SubmissionPublisherSubscriberOfYourChoice<>());
     * }
     *
     * @param closeOnCancel whether a subscriber's {@code cancel()} closes {@code ch}
     * @throws NullPointerException if {@code ch} is null
     */
    public static <T> Flow.Publisher<T> publisher(ReadPort<? extends T> ch, boolean closeOnCancel) {
        return new ChannelPublisher<>(Objects.requireNonNull(ch, "ch"), closeOnCancel);
    }

    /** A subscriber that requests batches of 16 and closes {@code ch} on completion or error. */
    public static <T> ChannelSubscriber<T> subscriber(WritePort<? super T> ch) {
        return subscriber(ch, 16, true);
    }

    /** A subscriber requesting batches of {@code batch} and closing {@code ch} on completion or error. */
    public static <T> ChannelSubscriber<T> subscriber(WritePort<? super T> ch, int batch) {
        return subscriber(ch, batch, true);
    }

    /**
     * A {@link Flow.Subscriber} that puts every value it receives on {@code ch}.
     *
     * <ul>
     *   <li>It requests {@code batch} values, then half a batch more each time that many were
     *       accepted by the channel, so at most {@code batch} puts are outstanding: a full channel
     *       stops the requests (back-pressure reaches the publisher).</li>
     *   <li>It never blocks the publisher's thread (puts are {@code putAsync}).</li>
     *   <li>When {@code ch} is closed, it cancels the subscription (on the first put that fails, or
     *       within 50 ms, whichever comes first; values still in flight are dropped).</li>
     *   <li>{@code onComplete} and {@code onError} close {@code ch} if {@code close} is true, and
     *       complete {@link ChannelSubscriber#completion()} (exceptionally for an error).</li>
     *   <li>It subscribes once: a second {@code onSubscribe} is cancelled (rule 2.5).</li>
     * </ul>
     *
     * {@snippet :
     * Chan<byte[]> chunks = chan(8);
     * httpBodyPublisher.subscribe(Flows.subscriber(chunks, 8, true));
     * for (byte[] c = chunks.take(); c != null; c = chunks.take()) write(c);
     * }
     *
     * @param batch the demand requested at once, 1..1024 (a channel allows 1024 pending puts)
     * @throws NullPointerException if {@code ch} is null
     * @throws IllegalArgumentException if {@code batch} is out of range
     */
    public static <T> ChannelSubscriber<T> subscriber(WritePort<? super T> ch, int batch, boolean close) {
        Objects.requireNonNull(ch, "ch");
        if (batch < 1 || batch > 1024) {
            throw new IllegalArgumentException("batch must be in 1..1024 (at most one pending put per requested value), was "
                    + batch);
        }
        return new ChannelSubscriber<>(ch, batch, close);
    }

    // -------------------------------------------------------------------------------- publisher

    /** The unicast publisher: remembers the active subscription. */
    private static final class ChannelPublisher<T> implements Flow.Publisher<T> {
        private final ReadPort<? extends T> channel;
        private final boolean closeOnCancel;
        private final AtomicReference<ChannelSubscription<T>> active = new AtomicReference<>();

        ChannelPublisher(ReadPort<? extends T> channel, boolean closeOnCancel) {
            this.channel = channel;
            this.closeOnCancel = closeOnCancel;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            Objects.requireNonNull(subscriber, "subscriber (rule 1.9)");
            ChannelSubscription<T> s = new ChannelSubscription<>(this, subscriber);
            if (!active.compareAndSet(null, s)) {
                subscriber.onSubscribe(REJECTED);
                subscriber.onError(new IllegalStateException("This publisher of " + channel
                        + " already has a subscriber (it is unicast): use a Mult and one publisher per tap to multicast"));
                return;
            }
            go(s::run);
        }

        @Override
        public String toString() {
            return "Flows.publisher(" + channel + ")";
        }
    }

    /** What a rejected subscriber receives before its onError. */
    private static final Flow.Subscription REJECTED = new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    /** One subscription: its process signals the subscriber; request/cancel poke it through `ctl`. */
    private static final class ChannelSubscription<T> implements Flow.Subscription {
        private final ChannelPublisher<T> publisher;
        private volatile Flow.Subscriber<? super T> subscriber;
        /** Wakes the process after request/cancel; sliding(1) so pokes never wait or pile up. */
        private final Chan<Boolean> ctl = chan(Buffers.sliding(1));
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;
        /** Set by request(n <= 0): the process signals it as onError. */
        private volatile IllegalArgumentException badRequest;

        ChannelSubscription(ChannelPublisher<T> publisher, Flow.Subscriber<? super T> subscriber) {
            this.publisher = publisher;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return; // rule 3.6
            }
            if (n <= 0) {
                badRequest = new IllegalArgumentException("rule 3.9: request(n) needs n > 0, was " + n);
            } else {
                demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n); // rule 3.17: saturate
            }
            ctl.offer(Boolean.TRUE);
        }

        @Override
        public void cancel() {
            cancelled = true;
            ctl.offer(Boolean.TRUE);
        }

        /** The process. */
        void run() {
            Flow.Subscriber<? super T> s = subscriber;
            try {
                s.onSubscribe(this);
                while (!cancelled) {
                    IllegalArgumentException bad = badRequest;
                    if (bad != null) {
                        cancelled = true;
                        s.onError(bad);
                        return;
                    }
                    if (demand.get() == 0) {
                        ctl.take(); // wait for request or cancel
                        continue;
                    }
                    AltResult r = altsPriority(takeOp(ctl), takeOp(publisher.channel));
                    if (r.from(ctl)) {
                        continue;
                    }
                    T v = r.valueAs();
                    if (v == null) {
                        cancelled = true;
                        s.onComplete();
                        return;
                    }
                    demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
                    s.onNext(v);
                }
                if (publisher.closeOnCancel) {
                    publisher.channel.close();
                }
            } catch (Throwable t) { // the subscriber broke rule 2.13: cancel and report
                cancelled = true;
                Pipelines.report(new IllegalStateException("rule 2.13: " + s + " threw; subscription cancelled", t));
            } finally {
                subscriber = null; // rule 3.13: drop the reference
                publisher.active.compareAndSet(this, null);
            }
        }
    }

    // ------------------------------------------------------------------------------- subscriber

    /**
     * A {@link Flow.Subscriber} feeding a channel; made by {@link Flows#subscriber}. Thread-safe as the
     * Reactive Streams specification requires (signals may come from any thread, serially).
     *
     * @param <T> the value type
     */
    public static final class ChannelSubscriber<T> implements Flow.Subscriber<T> {
        /** How often the subscriber looks whether its channel was closed. */
        private static final java.time.Duration CLOSE_POLL = java.time.Duration.ofMillis(50);
        private final WritePort<? super T> channel;
        private final int batch;
        private final int refill;
        private final boolean close;
        private final CompletableFuture<Void> completion = new CompletableFuture<>();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private Flow.Subscription subscription; // guarded by this

        ChannelSubscriber(WritePort<? super T> channel, int batch, boolean close) {
            this.channel = channel;
            this.batch = batch;
            this.refill = Math.max(1, batch / 2);
            this.close = close;
        }

        /**
         * Completes normally after {@code onComplete}, exceptionally with the error after
         * {@code onError}; never completes if the subscription was cancelled because the channel closed.
         */
        public CompletableFuture<Void> completion() {
            return completion;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            Objects.requireNonNull(s, "subscription (rule 2.13)");
            synchronized (this) {
                if (subscription != null) {
                    s.cancel(); // rule 2.5: one subscription only
                    return;
                }
                subscription = s;
                s.request(batch);
            }
            watchForClose();
        }

        /**
         * Closing a channel keeps its parked puts parked, so a closed channel may never fail one of
         * our puts: a process looks at {@code isClosed()} every {@link #CLOSE_POLL} until the end.
         */
        private void watchForClose() {
            go(() -> {
                while (!cancelled.get() && !completion.isDone()) {
                    if (channel.isClosed()) {
                        cancelUpstream();
                        return;
                    }
                    Csp.sleep(CLOSE_POLL);
                }
            });
        }

        @Override
        public void onNext(T value) {
            Objects.requireNonNull(value, "value (rule 2.13)");
            if (cancelled.get()) {
                return; // in flight when we cancelled: dropped
            }
            channel.putAsync(value, ok -> {
                if (!ok) {
                    cancelUpstream();
                } else if (accepted.incrementAndGet() % refill == 0 && !cancelled.get()) {
                    synchronized (this) {
                        subscription.request(refill); // serial calls on the subscription (rule 2.7)
                    }
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "throwable (rule 2.13)");
            if (close) {
                channel.close();
            }
            completion.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (close) {
                channel.close();
            }
            completion.complete(null);
        }

        private void cancelUpstream() {
            if (cancelled.compareAndSet(false, true)) {
                synchronized (this) {
                    subscription.cancel();
                }
            }
        }

        @Override
        public String toString() {
            return "Flows.subscriber(" + channel + ", batch=" + batch + ")";
        }
    }
}
