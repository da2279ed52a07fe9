package io.csp4j.tck;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.altsOrDefault;
import static io.csp4j.Csp.altsPriority;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.putOp;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/*
 * Part 2 of tck/SPEC.md, alts (clauses 2.20 - 2.28): Go's select on the backend's dispatcher, in
 * both process modes. Each clause runs its alts inside go blocks, where they park on the backend.
 */

/**
 * Part 2 of the TCK, {@code alts}: clauses 2.20 to 2.28 of {@code tck/SPEC.md}, each in both
 * {@link ProcessMode}s. Includes Part 1 and the channel clauses; see {@link TckSupport}.
 */
public abstract class AltsVerification extends ChannelVerification {

    /** Constructor for subclasses. */
    protected AltsVerification() {}

    /**
     * 2.20: exactly one operation of an {@code alts} commits: with values ready on two channels one
     * is taken and the other stays; under concurrent producers every value is received exactly once.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec220_exactlyOneOperationCommits(ProcessMode mode) {
        useEngine(mode);
        for (int i = 0; i < 200; i++) {
            Chan<Integer> a = chan(1);
            Chan<Integer> b = chan(1);
            a.put(1);
            b.put(2);
            AltResult r = takeWithin(go(() -> alts(a, b)));
            Chan<Integer> other = r.from(a) ? b : a;
            assertEquals(r.from(a) ? 1 : 2, r.value(), "the value of the chosen channel");
            assertEquals(r.from(a) ? 2 : 1, other.poll(), "the other channel keeps its value");
            assertNull(a.poll());
            assertNull(b.poll());
        }
        int n = Scale.of(5_000, 100_000);
        Chan<Integer> a = chan();
        Chan<Integer> b = chan();
        go(() -> { for (int i = 0; i < n; i++) { a.put(i); } });
        go(() -> { for (int i = n; i < 2 * n; i++) { b.put(i); } });
        Chan<BitSet> consumer = go(() -> {
            BitSet seen = new BitSet();
            for (int i = 0; i < 2 * n; i++) {
                int v = (Integer) alts(a, b).value();
                if (seen.get(v)) {
                    throw new AssertionError("value " + v + " received twice");
                }
                seen.set(v);
            }
            return seen;
        });
        assertEquals(2 * n, takeWithin(consumer).cardinality(), "distinct values received by alts");
        assertNull(a.poll(), "nothing left on a");
        assertNull(b.poll(), "nothing left on b");
    }

    /** 2.21: with priority, the first ready operation in order wins, every time. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec221_priorityPicksTheFirstReadyOperation(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> a = chan(1);
        Chan<Integer> b = chan(1);
        Chan<Integer> c = chan(1);
        Chan<Integer> firsts = go(() -> {
            int count = 0;
            for (int i = 0; i < 300; i++) {
                b.offer(2);
                c.offer(3);
                AltResult r = altsPriority(a, b, c);
                if (r.from(b) && Integer.valueOf(2).equals(r.value())) {
                    count++;
                }
            }
            return count;
        });
        assertEquals(300, takeWithin(firsts), "rounds where the first ready channel (b, before c) won");
    }

    /**
     * 2.22: with a default, nothing ready at once returns the default with {@link Csp#DEFAULT} as the
     * channel, and leaves nothing enqueued.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec222_aDefaultIsReturnedWhenNothingIsReady(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> a = chan();
        Chan<Integer> b = chan();
        AltResult r = takeWithin(go(() -> altsOrDefault("none", takeOp(a), putOp(b, 1))));
        assertEquals("none", r.value());
        assertSame(Csp.DEFAULT, r.channel());
        assertTrue(r.isDefault());
        assertFalse(a.offer(5), "the default left a take enqueued on a");
        assertNull(b.poll(), "the default left a put enqueued on b");
        Chan<Integer> ready = chan(1);
        ready.put(7);
        AltResult got = takeWithin(go(() -> altsOrDefault("none", takeOp(a), takeOp(ready))));
        assertEquals(7, got.value(), "a ready operation beats the default");
        assertSame(ready, got.channel());
        AltResult full = Csp.alts(List.of(takeOp(a)), true, "x");
        assertSame(Csp.DEFAULT, full.channel(), "the full form with a default value");
    }

    /**
     * 2.28: a default is taken only if nothing was ready at one instant (Go's
     * {@code TestNonblockSelectRace}): while the test's thread puts a value on one channel and then
     * polls the other, so that one of them holds a value at every instant, an {@code alts} with a
     * default over both (the first looked at, then sixteen empty channels, then the second) never
     * takes the default, and the value is neither lost nor duplicated.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec228_aDefaultIsTakenOnlyWhenNothingIsReadyAtOneInstant(ProcessMode mode) {
        useEngine(mode);
        int rounds = Scale.of(20_000, 200_000);
        int defaults = 0;
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> first = chan(1);
            Chan<Integer> second = chan(1);
            List<io.csp4j.AltOp> ops = new java.util.ArrayList<>();
            ops.add(takeOp(second));
            for (int p = 0; p < 16; p++) {
                ops.add(takeOp(chan()));
            }
            ops.add(takeOp(first));
            first.put(i);
            java.util.concurrent.atomic.AtomicBoolean start = new java.util.concurrent.atomic.AtomicBoolean();
            Chan<AltResult> selected = go(() -> {
                while (!start.get()) {
                    Thread.onSpinWait();
                }
                return Csp.alts(ops, true, Boolean.FALSE);
            });
            start.set(true);
            second.put(i);
            Integer moved = first.poll();
            AltResult r = takeWithin(selected);
            int left = (first.poll() != null ? 1 : 0) + (second.poll() != null ? 1 : 0);
            if (r.isDefault()) {
                defaults++;
            } else {
                assertEquals(i, r.value());
            }
            assertEquals(2, left + (r.isDefault() ? 0 : 1) + (moved != null ? 1 : 0),
                    "round " + i + ": the value was lost or duplicated");
        }
        assertEquals(0, defaults, "the default was taken while one of the two channels held a value, in "
                + defaults + " of " + rounds + " rounds");
    }

    /** 2.23: a closed channel counts as ready: a take gets {@code null}, a put gets {@code false}. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec223_aClosedChannelIsReady(ProcessMode mode) {
        useEngine(mode);
        Chan<Integer> closed = chan();
        closed.close();
        Chan<Integer> never = chan();
        AltResult take = takeWithin(go(() -> alts(never, closed)));
        assertSame(closed, take.channel());
        assertNull(take.value(), "a take on a closed channel");
        AltResult put = takeWithin(go(() -> alts(takeOp(never), putOp(closed, 1))));
        assertSame(closed, put.channel());
        assertEquals(Boolean.FALSE, put.value(), "a put on a closed channel");
        Chan<Integer> later = chan();
        Chan<AltResult> waiting = go(() -> alts(never, later));
        sleepQuietly(20);
        later.close();
        AltResult released = takeWithin(waiting);
        assertSame(later, released.channel(), "a parked alts released by close()");
        assertNull(released.value());
    }

    /** 2.24: a {@code null} port is never ready (Go's nil channel). */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec224_aNullPortIsNeverReady(ProcessMode mode) {
        useEngine(mode);
        Chan<Object> t = timeout(50);
        AltResult r = takeWithin(go(() -> alts(takeOp(null), putOp((Chan<Integer>) null, 1), takeOp(t))));
        assertSame(t, r.channel(), "only the timeout can complete");
        AltResult d = takeWithin(go(() -> altsOrDefault("idle", takeOp(null))));
        assertTrue(d.isDefault(), "a null port with a default");
    }

    /**
     * 2.25: a put and a take on the same channel in one {@code alts} never match each other; the
     * same channel may appear twice; the losing handlers are removed at once.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec225_aPutAndATakeInOneAltsNeverMatchEachOther(ProcessMode mode) {
        useEngine(mode);
        for (int i = 0; i < 20; i++) {
            Chan<Integer> c = chan();
            Chan<Object> t = timeout(30);
            AltResult r = takeWithin(go(() -> alts(putOp(c, 1), takeOp(c), takeOp(t))));
            assertSame(t, r.channel(), "alts matched its own put and take on one channel");
            assertFalse(c.offer(2), "the losing take was not removed");
            assertNull(c.poll(), "the losing put was not removed");
        }
        Chan<Integer> c = chan(2);
        c.put(1);
        AltResult twice = takeWithin(go(() -> alts(c, c)));
        assertEquals(1, twice.value(), "the same channel twice in one alts");
        assertNull(c.poll());
    }

    /** 2.26: without priority, alts chooses at random among the operations ready at once. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec226_altsChoosesFairlyAtRandom(ProcessMode mode) {
        useEngine(mode);
        int rounds = 2_000;
        Chan<Integer> a = chan(1);
        Chan<Integer> b = chan(1);
        Chan<int[]> counts = go(() -> {
            int[] n = new int[2];
            for (int i = 0; i < rounds; i++) {
                a.offer(0);
                b.offer(1);
                n[(Integer) alts(a, b).value()]++;
            }
            return n;
        });
        int[] n = takeWithin(counts);
        assertEquals(rounds, n[0] + n[1]);
        assertTrue(n[0] > rounds / 4 && n[1] > rounds / 4,
                "choices over " + rounds + " rounds with both ready: a " + n[0] + ", b " + n[1]);
    }

    /** 2.27: an alts parked on puts and takes completes exactly one when a partner arrives. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec227_aParkedAltsCompletesExactlyOneOperation(ProcessMode mode) {
        useEngine(mode);
        for (int i = 0; i < 100; i++) {
            Chan<Integer> in = chan();
            Chan<Integer> out = chan();
            Chan<AltResult> parked = go(() -> alts(takeOp(in), putOp(out, 42)));
            sleepQuietly(i == 0 ? 20 : 0);
            Integer took = null;
            boolean gave = false;
            if (i % 2 == 0) {
                took = out.take();
            } else {
                gave = in.put(7);
            }
            AltResult r = takeWithin(parked);
            if (i % 2 == 0) {
                assertEquals(42, took);
                assertSame(out, r.channel());
                assertEquals(Boolean.TRUE, r.value());
                assertFalse(in.offer(1), "the losing take is still enqueued");
            } else {
                assertTrue(gave);
                assertSame(in, r.channel());
                assertEquals(7, r.value());
                assertNull(out.poll(), "the losing put is still enqueued");
            }
        }
    }
}
