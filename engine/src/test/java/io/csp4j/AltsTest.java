package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.internal.ManyToManyChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** alts: exactly one operation commits; priority, default, nil and closed ports; fairness; cleanup. */
class AltsTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void takesTheReadyChannel(ProcessMode mode) {
        mode(mode);
        Chan<String> a = chan();
        Chan<String> b = chan(1);
        b.put("b!");
        AltResult r = within(5, () -> go(() -> alts(a, b)).take());
        assertSame(b, r.channel());
        assertEquals("b!", r.value());
        assertFalse(r.isDefault());
        assertNull(a.poll());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void parksUntilOneOperationCompletesAndOnlyOneCommits(ProcessMode mode) {
        mode(mode);
        for (int round = 0; round < 200; round++) {
            Chan<Integer> a = chan();
            Chan<Integer> b = chan();
            Chan<AltResult> r = go(() -> alts(a, b));
            // Two producers race; exactly one value is taken by the alts, the other stays pending.
            Chan<Boolean> pa = go(() -> a.put(1));
            Chan<Boolean> pb = go(() -> b.put(2));
            AltResult res = within(5, r::take);
            Chan<Integer> loser = res.channel() == a ? b : a;
            Chan<Boolean> loserPut = res.channel() == a ? pb : pa;
            assertEquals(res.channel() == a ? 1 : 2, res.value());
            assertNotNull(within(5, loser::take), "the losing value is still there for someone else");
            assertEquals(Boolean.TRUE, within(5, loserPut::take));
            assertEquals(Boolean.TRUE, within(5, (res.channel() == a ? pa : pb)::take));
        }
    }

    @Test
    void putOperationsCompleteAndReportTrue() {
        Chan<Integer> out = chan(1);
        AltResult r = alts(putOp(out, 7), takeOp(chan()));
        assertSame(out, r.channel());
        assertEquals(Boolean.TRUE, r.value());
        assertEquals(7, out.take());
    }

    @Test
    void aClosedChannelCountsAsReady() {
        Chan<Integer> closed = chan();
        closed.close();
        AltResult take = alts(closed, chan());
        assertSame(closed, take.channel());
        assertNull(take.value());
        AltResult put = alts(putOp(closed, 1), takeOp(chan()));
        assertSame(closed, put.channel());
        assertEquals(Boolean.FALSE, put.value());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aNullPortIsNeverReady(ProcessMode mode) {
        mode(mode);
        Chan<Integer> c = chan(1);
        c.put(3);
        for (int i = 0; i < 100; i++) {
            AltResult r = alts(null, c, null);
            assertSame(c, r.channel());
            c.put(3);
        }
        AltResult d = altsOrDefault("none", takeOp(null), putOp(null, 1));
        assertTrue(d.isDefault());
        assertEquals("none", d.value());
        assertSame(Csp.DEFAULT, d.channel());
    }

    @Test
    void defaultWhenNothingIsReadyLeavesNothingEnqueued() {
        Chan<Integer> a = chan();
        Chan<Integer> b = chan();
        for (int i = 0; i < 5_000; i++) {
            AltResult r = altsOrDefault(-1, takeOp(a), putOp(b, i));
            assertTrue(r.isDefault());
        }
        assertEquals(0, ((ManyToManyChannel<?>) a).pendingTakes());
        assertEquals(0, ((ManyToManyChannel<?>) b).pendingPuts());
        Chan<Integer> ready = chan(1);
        ready.put(5);
        AltResult r = altsOrDefault(-1, takeOp(a), takeOp(ready));
        assertSame(ready, r.channel(), "a ready operation beats the default");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void priorityAlwaysPicksTheFirstReady(ProcessMode mode) {
        mode(mode);
        Chan<Integer> a = chan(Buffers.unbounded());
        Chan<Integer> b = chan(Buffers.unbounded());
        for (int i = 0; i < 10_000; i++) {
            a.put(i);
            b.put(i);
        }
        Chan<Integer> firsts = go(() -> {
            int n = 0;
            for (int i = 0; i < 10_000; i++) if (altsPriority(a, b).channel() == a) n++;
            return n;
        });
        assertEquals(10_000, within(20, firsts::take));
        assertEquals(List.of(0, 10_000), List.of(((ManyToManyChannel<?>) a).buffered(), ((ManyToManyChannel<?>) b).buffered()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void randomChoiceIsFairOverTwoReadyChannels(ProcessMode mode) {
        mode(mode);
        Chan<Integer> a = chan(Buffers.sliding(1));
        Chan<Integer> b = chan(Buffers.sliding(1));
        Chan<Integer> fromA = go(() -> {
            int n = 0;
            for (int i = 0; i < 10_000; i++) {
                a.put(1);
                b.put(1);
                if (alts(a, b).channel() == a) n++;
            }
            return n;
        });
        int n = within(20, fromA::take);
        // Binomial(10000, 0.5): sd = 50; 4,700..5,300 is 6 sd.
        assertTrue(n > 4_700 && n < 5_300, "picked the first " + n + " times of 10000");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void putAndTakeOnTheSameChannelNeverMatch(ProcessMode mode) {
        mode(mode);
        for (int i = 0; i < 200; i++) {
            int round = i;
            Chan<Integer> c = chan();
            Chan<AltResult> r = go(() -> alts(List.of(takeOp(c), putOp(c, 42)), false, null));
            // If the alts matched itself it would complete; it must wait for a real partner.
            AltResult none = within(5, () -> {
                Thread.sleep(round % 10 == 0 ? 5 : 0);
                return (AltResult) r.poll();
            });
            assertNull(none, "alts matched its own put and take");
            if (i % 2 == 0) {
                assertEquals(42, within(5, c::take));
                AltResult res = within(5, r::take);
                assertSame(c, res.channel());
                assertEquals(Boolean.TRUE, res.value());
            } else {
                within(5, () -> c.put(7));
                AltResult res = within(5, r::take);
                assertEquals(7, res.value());
            }
            assertEquals(0, ((ManyToManyChannel<?>) c).pendingPuts() + ((ManyToManyChannel<?>) c).pendingTakes(),
                    "the losing handler was removed at once");
        }
    }

    @Test
    void theSameChannelTwiceIsAllowed() {
        Chan<Integer> c = chan(1);
        c.put(1);
        AltResult r = alts(c, c);
        assertEquals(1, r.value());
        Chan<Integer> late = chan();
        Chan<AltResult> pending = go(() -> alts(late, late));
        within(5, () -> late.put(2));
        assertEquals(2, within(5, pending::take).value());
        assertEquals(0, ((ManyToManyChannel<?>) late).pendingTakes());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void manyAltsWithTimeoutsLeaveNoHandlerBehind(ProcessMode mode) {
        mode(mode);
        Chan<Integer> never = chan();
        Chan<Integer> done = go(() -> {
            int timeouts = 0;
            for (int i = 0; i < 100_000; i++) {
                if (alts(never, timeout(Duration.ZERO)).channel() != never) timeouts++;
            }
            return timeouts;
        });
        // With leaked handlers the 1025th alts would throw "No more than 1024 pending takes".
        assertEquals(100_000, within(120, done::take));
        assertEquals(0, ((ManyToManyChannel<?>) never).pendingTakes());
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void twoAltsOnOppositeSidesMeet(ProcessMode mode) {
        mode(mode);
        for (int i = 0; i < 500; i++) {
            Chan<Integer> c = chan();
            Chan<AltResult> putter = go(() -> alts(putOp(c, 1), takeOp(chan())));
            Chan<AltResult> taker = go(() -> alts(c, chan()));
            assertEquals(1, within(5, taker::take).value());
            assertEquals(Boolean.TRUE, within(5, putter::take).value());
        }
    }

    @Test
    void altsAsyncCompletesOnTheDispatcher() throws Exception {
        Chan<Integer> c = chan();
        var stage = altsAsync(List.of(takeOp(c)), false).toCompletableFuture();
        assertFalse(stage.isDone());
        c.put(9);
        AltResult r = stage.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(9, r.value());
        assertSame(c, r.channel());
    }

    @Test
    void altsRejectsChannelsItDoesNotKnow() {
        ReadPort<Integer> foreign = new ReadPort<>() {
            public Integer take() { return null; }
            public Integer poll() { return null; }
            public java.util.concurrent.CompletionStage<Integer> takeAsync() { return null; }
            public void takeAsync(java.util.function.Consumer<? super Integer> cb) {}
            public void close() {}
            public boolean isClosed() { return false; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> alts(foreign));
        assertTrue(e.getMessage().contains("channels made by csp4j"), e.getMessage());
        List<AltOp> empty = new ArrayList<>();
        assertTrue(alts(empty, false, "d").isDefault());
    }
}
