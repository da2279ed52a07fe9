package io.csp4j;

import static io.csp4j.Csp.*;
import static io.csp4j.CombinatorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class FlowPublisherTest {

    /** Records every signal; requests only what the test asks. */
    static final class Recorder<T> implements Flow.Subscriber<T> {
        final List<Object> signals = new CopyOnWriteArrayList<>();
        final Chan<Object> events = chan(Buffers.unbounded());
        volatile Flow.Subscription subscription;

        @Override public void onSubscribe(Flow.Subscription s) { subscription = s; signals.add("subscribed"); events.offer("subscribed"); }
        @Override public void onNext(T v) { signals.add(v); events.offer(v); }
        @Override public void onError(Throwable t) { signals.add(t); events.offer(t); }
        @Override public void onComplete() { signals.add("complete"); events.offer("complete"); }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void deliversExactlyWhatWasRequested(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> ch = chan();
        AtomicInteger produced = new AtomicInteger();
        go(() -> {
            for (int i = 0; i < 100; i++) {
                if (!ch.put(i)) return;
                produced.incrementAndGet();
            }
            ch.close();
        });
        Recorder<Integer> r = new Recorder<>();
        Flows.publisher(ch).subscribe(r);
        assertEquals("subscribed", r.events.take());
        r.subscription.request(3);
        assertEquals(List.of(0, 1, 2), take(r.events, 3));
        pause(100);
        assertNull(r.events.poll(), "no more than requested");
        assertEquals(3, produced.get(), "back-pressure: nothing is taken from the channel without demand");
        r.subscription.request(Long.MAX_VALUE);
        List<Object> rest = take(r.events, 98);
        assertEquals(range(100).subList(3, 100), rest.subList(0, 97));
        assertEquals("complete", rest.get(97));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void unicastRejectsASecondSubscriberAndServesTheNextAfterCancel(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> ch = chan(10);
        for (int i = 0; i < 10; i++) ch.put(i);
        Flow.Publisher<Integer> p = Flows.publisher(ch);
        Recorder<Integer> first = new Recorder<>(), second = new Recorder<>(), third = new Recorder<>();
        p.subscribe(first);
        assertEquals("subscribed", first.events.take());
        first.subscription.request(2);
        assertEquals(List.of(0, 1), take(first.events, 2));
        p.subscribe(second);
        assertEquals("subscribed", second.events.take());
        assertInstanceOf(IllegalStateException.class, second.events.take());
        first.subscription.cancel();
        pause(100);
        assertFalse(ch.isClosed(), "cancel leaves the channel open by default");
        ch.close();
        p.subscribe(third);
        assertEquals("subscribed", third.events.take());
        third.subscription.request(100);
        List<Object> got = take(third.events, 9);
        assertEquals(range(10).subList(2, 10), got.subList(0, 8), "no value lost between subscribers");
        assertEquals("complete", got.get(8));
        assertEquals(List.of("subscribed", 0, 1), first.signals, "nothing after cancel");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void cancelClosesTheChannelWhenAsked(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> ch = chan(5);
        Recorder<Integer> r = new Recorder<>();
        Flows.publisher(ch, true).subscribe(r);
        assertEquals("subscribed", r.events.take());
        r.subscription.cancel();
        pause(100);
        assertTrue(ch.isClosed());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void nonPositiveRequestSignalsIllegalArgument(ProcessMode mode) {
        useProcessMode(mode);
        Recorder<Integer> r = new Recorder<>();
        Flows.publisher(toChan(range(3))).subscribe(r);
        assertEquals("subscribed", r.events.take());
        r.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, r.events.take());
        assertThrows(NullPointerException.class, () -> Flows.publisher(chan()).subscribe(null));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void subscriberFeedsTheChannelAndClosesItOnComplete(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        Chan<Integer> ch = chan(4);
        Flows.ChannelSubscriber<Integer> s = Flows.subscriber(ch, 8);
        try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>()) {
            pub.subscribe(s);
            Chan<List<Integer>> all = into(new java.util.ArrayList<>(), ch);
            for (int i = 0; i < 5000; i++) pub.submit(i);
            pub.close();
            assertEquals(range(5000), all.take());
        }
        s.completion().get(10, TimeUnit.SECONDS);
        assertTrue(ch.isClosed());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void subscriberRequestsNoMoreThanTheChannelAccepts(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> ch = chan(2);
        AtomicInteger requested = new AtomicInteger();
        Flow.Publisher<Integer> counting = sub -> sub.onSubscribe(new Flow.Subscription() {
            int next;
            @Override public void request(long n) {
                requested.addAndGet((int) n);
                for (long i = 0; i < n; i++) sub.onNext(next++);
            }
            @Override public void cancel() {}
        });
        counting.subscribe(Flows.subscriber(ch, 4, true));
        pause(200);
        int r = requested.get();
        assertTrue(r <= 4 + 2 + 2, "requests bounded by batch plus what the channel accepted: " + r);
        assertEquals(List.of(0, 1, 2, 3), take(ch, 4));
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void closingTheChannelCancelsUpstream(ProcessMode mode) {
        useProcessMode(mode);
        Chan<Integer> ch = chan(1);
        AtomicInteger cancels = new AtomicInteger();
        Flow.Publisher<Integer> endless = sub -> sub.onSubscribe(new Flow.Subscription() {
            int next;
            @Override public void request(long n) { for (long i = 0; i < n; i++) sub.onNext(next++); }
            @Override public void cancel() { cancels.incrementAndGet(); }
        });
        endless.subscribe(Flows.subscriber(ch, 2, true));
        assertEquals(0, ch.take());
        ch.close();
        pause(200);
        assertEquals(1, cancels.get());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void publisherToSubscriberRoundTrip(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        Chan<Integer> out = chan(3);
        Flows.ChannelSubscriber<Integer> s = subscriber(out, 5);
        publisher(toChan(range(3000))).subscribe(s);
        assertEquals(range(3000), drain(out));
        s.completion().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void badBatchIsRejected(ProcessMode mode) {
        useProcessMode(mode);
        assertThrows(IllegalArgumentException.class, () -> Flows.subscriber(chan(), 0));
        assertThrows(IllegalArgumentException.class, () -> Flows.subscriber(chan(), 1025));
    }
}
