package io.csp4j.tck;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.promiseChan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltOp;
import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/*
 * Part 2 of tck/SPEC.md, channels (clauses 2.01 - 2.12): the engine's channel semantics on the
 * backend's dispatcher, each clause in both process modes (the parameter). Values cross between
 * the test's ordinary thread (which blocks) and go blocks (which park on the backend).
 */

/**
 * Part 2 of the TCK, channels: clauses 2.01 to 2.12 of {@code tck/SPEC.md}, each run in both
 * {@link ProcessMode}s on the backend's dispatcher (bound with {@code Csp.useDispatcher}). Includes
 * Part 1 ({@link DispatcherVerification}); see {@link TckSupport} for the hooks.
 */
public abstract class ChannelVerification extends DispatcherVerification {

    /** Constructor for subclasses. */
    protected ChannelVerification() {}

    /** 2.01: an unbuffered channel is a rendezvous: a put completes only when a taker takes. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec201_anUnbufferedChannelIsARendezvous(ProcessMode mode) {
        useEngine(mode);
        for (int round = 0; round < 20; round++) {
            Chan<Integer> c = chan();
            AtomicBoolean putDone = new AtomicBoolean();
            int value = round;
            Chan<Boolean> putter = go(() -> {
                boolean ok = c.put(value);
                putDone.set(true);
                return ok;
            });
            sleepQuietly(round == 0 ? 50 : 2);
            assertFalse(putDone.get(), "a put on chan() completed with no taker");
            assertFalse(c.offer(99), "offer() on a rendezvous channel where only a putter waits");
            assertEquals(round, c.take(), "the value handed over");
            assertEquals(Boolean.TRUE, takeWithin(putter), "the put's result");
            assertTrue(putDone.get());
        }
    }

    /** 2.02: {@code chan(n)} accepts n values without a taker, parks the next put, keeps FIFO order. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec202_aFixedBufferHoldsNValuesInOrder(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan(3);
        Chan<Integer> log = chan(10);
        go(() -> {
            for (int i = 1; i <= 4; i++) {
                c.put(i);
                log.put(i);
            }
        });
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, takeWithin(log), "puts completed without a taker");
        }
        sleepQuietly(30);
        assertNull(log.poll(), "the 4th put completed although the buffer of 3 was full");
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, c.take(), "FIFO order");
        }
        assertEquals(4, takeWithin(log));
    }

    /** 2.03: a dropping buffer keeps the first n values, a sliding buffer the last n; puts never park. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec203_droppingAndSlidingBuffersNeverPark(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> dropping = chan(Buffers.dropping(2));
        Chan<Integer> sliding = chan(Buffers.sliding(2));
        Chan<Boolean> done = go(() -> {
            for (int i = 1; i <= 5; i++) {
                if (!dropping.put(i) || !sliding.put(i)) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(Boolean.TRUE, takeWithin(done), "all puts accepted without parking");
        assertEquals(List.of(1, 2), List.of(dropping.poll(), dropping.poll()), "dropping(2) after 1..5");
        assertNull(dropping.poll());
        assertEquals(List.of(4, 5), List.of(sliding.poll(), sliding.poll()), "sliding(2) after 1..5");
        assertNull(sliding.poll());
    }

    /**
     * 2.04: a promise channel gives its first value to every taker, forever; later puts are accepted
     * and dropped; closed before any put, every take returns {@code null}.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec204_aPromiseChannelKeepsItsFirstValue(ProcessMode mode) {
        useEngine(mode);
        Chan<String> p = promiseChan();
        List<Chan<String>> takers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            takers.add(go(p::take));
        }
        assertTrue(p.put("first"));
        assertTrue(p.put("second"), "a later put is accepted");
        for (Chan<String> t : takers) {
            assertEquals("first", takeWithin(t), "a pending taker of the promise");
        }
        assertEquals("first", p.take());
        assertEquals("first", p.poll());
        p.close();
        assertEquals("first", p.take(), "a closed promise channel still gives its value");
        Chan<String> empty = promiseChan();
        Chan<String> waiting = go(empty::take);
        empty.close();
        assertNull(takeWithin(waiting));
        assertNull(empty.take());
    }

    /** 2.05: {@code null} is never a value: every put form rejects it, with the exact message. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec205_nullIsNeverAValue(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan(1);
        assertEquals("Can't put null on a channel",
                assertThrows(NullPointerException.class, () -> c.put(null), "put(null)").getMessage());
        assertThrows(NullPointerException.class, () -> c.offer(null), "offer(null)");
        assertThrows(NullPointerException.class, () -> c.putAsync(null), "putAsync(null)");
        assertThrows(NullPointerException.class, () -> AltOp.put(c, null), "AltOp.put(c, null)");
        Chan<String> inGo = go(() -> {
            try {
                c.put(null);
                return "no exception";
            } catch (NullPointerException e) {
                return e.getMessage();
            }
        });
        assertEquals("Can't put null on a channel", takeWithin(inGo), "put(null) inside a go block");
        assertNull(c.poll(), "nothing was put");
    }

    /** 2.06: {@code take()} returns {@code null} exactly when the channel is closed and drained. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec206_takeReturnsNullExactlyWhenClosedAndDrained(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan(5);
        for (int i = 1; i <= 5; i++) {
            c.put(i);
        }
        c.close();
        Chan<List<Integer>> drained = go(() -> {
            List<Integer> got = new ArrayList<>();
            for (Integer v = c.take(); v != null; v = c.take()) {
                got.add(v);
            }
            return got;
        });
        assertEquals(List.of(1, 2, 3, 4, 5), takeWithin(drained), "values buffered before close");
        for (int i = 0; i < 3; i++) {
            assertNull(c.take(), "take() on a closed, drained channel");
            assertNull(c.poll(), "poll() on a closed, drained channel");
        }
    }

    /** 2.07: after close, {@code put}, {@code offer} and {@code putAsync} return {@code false}. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec207_putReturnsFalseAfterClose(ProcessMode mode) throws Exception {
        useEngine(mode);
        Chan<Integer> c = chan(10);
        c.close();
        assertFalse(c.put(1), "put after close");
        assertFalse(c.offer(2), "offer after close");
        assertEquals(Boolean.FALSE, c.putAsync(3).toCompletableFuture().get(), "putAsync after close");
        assertEquals(Boolean.FALSE, takeWithin(go(() -> c.put(4))), "put in a go block after close");
        assertNull(c.poll(), "nothing was accepted");
        assertTrue(c.isClosed());
    }

    /**
     * 2.08: {@code close()} is idempotent and releases every pending taker, each with {@code null}
     * (twisted-csp released only the last one).
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec208_closeReleasesEveryPendingTaker(ProcessMode mode) {
        useEngine(mode);
        int n = 50;
        Chan<Integer> c = chan();
        List<Chan<String>> takers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            takers.add(go(() -> String.valueOf(c.take())));
        }
        List<CompletionStage<Integer>> async = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            async.add(c.takeAsync());
        }
        sleepQuietly(30);
        c.close();
        c.close();
        for (Chan<String> t : takers) {
            assertEquals("null", takeWithin(t), "a parked taker after close()");
        }
        for (CompletionStage<Integer> s : async) {
            assertNull(s.toCompletableFuture().join(), "a pending takeAsync after close()");
        }
    }

    /** The number of puts pending on {@code c}, as its {@code toString()} says ("..., 200 puts pending]"). */
    private static int pendingPuts(Chan<?> c) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) puts? pending").matcher(c.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** 2.09: closing loses no parked value: parked putters are delivered to later takers, in order. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec209_closeLosesNoParkedValue(ProcessMode mode) {
        useEngine(mode);
        int n = 100;
        Chan<Integer> c = chan();
        List<Chan<Boolean>> putters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            putters.add(go(() -> c.put(v)));
        }
        List<CompletableFuture<Boolean>> async = new ArrayList<>();
        for (int i = n; i < 2 * n; i++) {
            async.add(c.putAsync(i).toCompletableFuture());
        }
        // Every put parked before close (as the channel's toString counts them): a fixed sleep let a
        // loaded machine start some go blocks only after close(), whose puts then rightly failed.
        awaitCount(() -> pendingPuts(c), 2 * n);
        c.close();
        Set<Integer> got = new HashSet<>();
        for (Integer v = c.take(); v != null; v = c.take()) {
            assertTrue(got.add(v), "value " + v + " delivered twice");
        }
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < 2 * n; i++) {
            all.add(i);
        }
        assertEquals(all, got, "values of putters parked at close()");
        for (Chan<Boolean> p : putters) {
            assertEquals(Boolean.TRUE, takeWithin(p), "a parked put's result");
        }
        for (CompletableFuture<Boolean> f : async) {
            assertEquals(Boolean.TRUE, f.join(), "a pending putAsync's result");
        }
    }

    /** 2.10: {@code offer} and {@code poll} complete only if possible at once, and never enqueue. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec210_offerAndPollNeverWaitNorEnqueue(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan();
        assertFalse(c.offer(1), "offer with no taker");
        assertNull(c.poll(), "poll with no putter: the failed offer left nothing behind");
        assertFalse(c.offer(2), "offer after a failed poll: the poll left no taker behind");
        Chan<Integer> taker = go(c::take);
        boolean offered = false;
        for (int i = 0; i < 2_000 && !offered; i++) {
            offered = c.offer(3);
            if (!offered) {
                sleepQuietly(1);
            }
        }
        assertTrue(offered, "offer to a parked taker");
        assertEquals(3, takeWithin(taker));
        go(() -> c.put(4));
        Integer polled = null;
        for (int i = 0; i < 2_000 && polled == null; i++) {
            polled = c.poll();
            if (polled == null) {
                sleepQuietly(1);
            }
        }
        assertEquals(4, polled, "poll from a parked putter");
        Chan<Integer> buffered = chan(1);
        assertTrue(buffered.offer(5));
        assertFalse(buffered.offer(6), "offer on a full buffer");
        assertEquals(5, buffered.poll());
        assertNull(buffered.poll());
    }

    /**
     * 2.11: at most 1024 pending puts per channel; the next one throws
     * {@code IllegalStateException} whose first sentence is core.async's, exactly; the rest names the channel and the remedies
     * (a buffer, {@code maxPending}). The limit is configurable.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec211_atMost1024PendingPuts(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan();
        List<CompletableFuture<Boolean>> pending = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            pending.add(c.putAsync(i).toCompletableFuture());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.putAsync(1024), "the 1025th pending put");
        assertFirstSentence("No more than 1024 pending puts are allowed on a single channel.", e.getMessage());
        assertTrue(e.getMessage().contains("buffer") && e.getMessage().contains("maxPending(n)"),
                "the message names both remedies: " + e.getMessage());
        Chan<String> inGo = go(() -> {
            try {
                c.put(-1);
                return "no exception";
            } catch (IllegalStateException x) {
                return x.getMessage();
            }
        });
        assertEquals(e.getMessage(), takeWithin(inGo), "a put in a go block beyond the limit");
        for (int i = 0; i < 1024; i++) {
            assertEquals(i, c.take(), "pending puts are delivered in order");
        }
        for (CompletableFuture<Boolean> f : pending) {
            assertEquals(Boolean.TRUE, f.join());
        }
        Chan<Integer> small = io.csp4j.Csp.<Integer>chanBuilder().maxPending(8).build();
        for (int i = 0; i < 8; i++) {
            small.putAsync(i);
        }
        assertFirstSentence("No more than 8 pending puts are allowed on a single channel.",
                assertThrows(IllegalStateException.class, () -> small.putAsync(8)).getMessage());
    }

    /** 2.12: at most 1024 pending takes per channel; the next one throws, with the exact message. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec212_atMost1024PendingTakes(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> c = chan();
        List<CompletableFuture<Integer>> pending = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            pending.add(c.takeAsync().toCompletableFuture());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, c::takeAsync, "the 1025th pending take");
        assertFirstSentence("No more than 1024 pending takes are allowed on a single channel.", e.getMessage());
        assertTrue(e.getMessage().contains("maxPending(n)"), "the message names the remedy: " + e.getMessage());
        for (int i = 0; i < 1024; i++) {
            assertTrue(c.put(i));
        }
        for (int i = 0; i < 1024; i++) {
            assertEquals(i, pending.get(i).join(), "pending takes are served in order");
        }
    }

    /**
     * The pending-limit message starts with core.async's sentence, exactly, followed by a space and
     * the engine's own advice (SPEC.md clauses 2.11 and 2.12 fix the first sentence only).
     */
    private static void assertFirstSentence(String expected, String message) {
        assertTrue(message != null && message.startsWith(expected + " ") && message.length() > expected.length() + 1,
                "the message starts with \"" + expected + "\" and goes on with the remedy: " + message);
    }
}
