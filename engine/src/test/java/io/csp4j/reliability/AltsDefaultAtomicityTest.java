package io.csp4j.reliability;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.Csp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@code alts} with a default (and an {@code altsWithin} of zero) takes the default only if none
 * of its operations could complete at one instant: Go's
 * {@code TestNonblockSelectRace} and {@code TestNonblockSelectRace2}, where a value moves from one
 * channel to the other while the select looks, so that one of them is ready at every instant.
 *
 * <p>Each round, two ordinary threads start together (a spin barrier): the selector looks at the
 * second channel first, then at eight empty ones (which widen the window between its looks), then at
 * the first; the mover makes the second channel ready and then the first one not ready. A select that
 * looked at its channels one lock at a time and took the default when each had been unready at its
 * own moment failed here (on ForkJoin a few rounds in 20,000 with the eight channels between;
 * hundreds on Vert.x and Netty, whose threads the test's two do not compete with). Every round also
 * checks that the value moved is neither lost nor duplicated.
 */
@Timeout(120)
class AltsDefaultAtomicityTest {

    private static final int ROUNDS = Reliability.scaled(50_000, 1_000_000);
    private static final int PADDING = 16;

    /** How the selector looks: its result, given the round's operations (second channel first). */
    private interface Select {
        AltResult select(List<AltOp> ops);
    }

    private static final Select WITH_DEFAULT = ops -> alts(ops, true, Boolean.FALSE);
    private static final Select WITHIN_ZERO = ops -> altsWithin(Duration.ZERO, ops, true);

    @Test
    void aTakeWithDefaultNeverMissesAValueThatMovesBetweenTwoChannels() throws Exception {
        int[] kept = new int[1];
        int defaults = race(WITH_DEFAULT, round -> new Round(chan(1), chan(1)) {
            @Override void setUp() { first.put(round); }
            @Override List<AltOp> ops() { return takes(second, first); }
            @Override void move() { second.put(round); moved = first.poll(); }
            @Override void check(AltResult r) {
                // One value was put twice (first, then second) and taken by the mover's poll, the
                // selector or not at all: exactly one more than the mover took is left or was selected.
                int left = (first.poll() != null ? 1 : 0) + (second.poll() != null ? 1 : 0);
                int selected = r.isDefault() ? 0 : 1;
                assertEquals(2, left + selected + (moved != null ? 1 : 0), "a value lost or duplicated");
                if (!r.isDefault()) {
                    assertEquals(round, r.value());
                    kept[0]++;
                }
            }
        });
        assertEquals(0, defaults, "the default was taken while a value was in one of the channels");
        assertEquals(ROUNDS, kept[0]);
    }

    @Test
    void aTakeWithDefaultNeverMissesAChannelThatClosesAsTheOtherEmpties() throws Exception {
        // Go's TestNonblockSelectRace2: the second channel is closed instead of given a value.
        int defaults = race(WITH_DEFAULT, round -> new Round(chan(1), chan()) {
            @Override void setUp() { first.put(round); }
            @Override List<AltOp> ops() { return takes(second, first); }
            @Override void move() { second.close(); moved = first.poll(); }
            @Override void check(AltResult r) {
                if (r.channel() == second) {
                    assertNull(r.value(), "a closed channel gives null");
                } else if (r.channel() == first) {
                    assertEquals(round, r.value());
                    assertNull(moved);
                }
            }
        });
        assertEquals(0, defaults, "the default was taken while a channel was ready (closed or holding a value)");
    }

    @Test
    void aPutWithDefaultNeverMissesRoomThatMovesBetweenTwoChannels() throws Exception {
        int defaults = race(WITH_DEFAULT, round -> new Round(chan(1), chan(1)) {
            @Override void setUp() { second.put(-1); }
            @Override List<AltOp> ops() { return puts(round, second, first); }
            @Override void move() { moved = second.poll(); first.offer(-2); }
            @Override void check(AltResult r) {
                if (!r.isDefault()) {
                    assertEquals(Boolean.TRUE, r.value());
                }
            }
        });
        assertEquals(0, defaults, "the default was taken while one of the channels had room");
    }

    @Test
    void anAltsWithinZeroNeverTimesOutWhileAValueMovesBetweenTwoChannels() throws Exception {
        int timedOut = race(WITHIN_ZERO, round -> new Round(chan(1), chan(1)) {
            @Override void setUp() { first.put(round); }
            @Override List<AltOp> ops() { return takes(second, first); }
            @Override void move() { second.put(round); moved = first.poll(); }
            @Override void check(AltResult r) {
                if (!r.isTimedOut()) {
                    assertEquals(round, r.value());
                }
            }
        });
        assertEquals(0, timedOut, "altsWithin(0) timed out while a value was in one of the channels");
    }

    /** One round: two channels (the select looks at {@code second} first) and what the mover does. */
    private abstract static class Round {
        final Chan<Integer> first;
        final Chan<Integer> second;
        final List<Chan<Integer>> padding = new ArrayList<>();
        volatile Integer moved;

        Round(Chan<Integer> first, Chan<Integer> second) {
            this.first = first;
            this.second = second;
            for (int i = 0; i < PADDING; i++) {
                padding.add(chan());
            }
        }

        abstract void setUp();

        abstract List<AltOp> ops();

        abstract void move();

        abstract void check(AltResult r);

        List<AltOp> takes(Chan<Integer> a, Chan<Integer> b) {
            List<AltOp> ops = new ArrayList<>();
            ops.add(AltOp.take(a));
            padding.forEach(p -> ops.add(AltOp.take(p)));
            ops.add(AltOp.take(b));
            return ops;
        }

        List<AltOp> puts(int v, Chan<Integer> a, Chan<Integer> b) {
            List<AltOp> ops = new ArrayList<>();
            ops.add(AltOp.put(a, v));
            padding.forEach(p -> ops.add(AltOp.put(p, v)));
            ops.add(AltOp.put(b, v));
            return ops;
        }
    }

    private static int race(Select select, IntFunction<Round> rounds) throws Exception {
        return race(select, rounds, ROUNDS);
    }

    /** Runs {@code n} rounds; returns how many ended with the default (or the zero deadline). */
    private static int race(Select select, IntFunction<Round> rounds, int n) throws Exception {
        AtomicInteger phase = new AtomicInteger();
        Round[] current = new Round[1];
        AltResult[] results = new AltResult[n];
        Throwable[] failure = new Throwable[1];
        Thread selector = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    while (phase.get() != 2 * i + 1) {
                        Thread.onSpinWait();
                    }
                    results[i] = select.select(current[0].ops());
                    phase.incrementAndGet();
                }
            } catch (Throwable t) {
                failure[0] = t;
                phase.set(Integer.MIN_VALUE);
            }
        }, "selector");
        selector.start();
        int defaults = 0;
        for (int i = 0; i < n; i++) {
            Round r = rounds.apply(i);
            r.setUp();
            current[0] = r;
            phase.incrementAndGet(); // 2i + 1: both go
            r.move();
            while (phase.get() != 2 * i + 2) {
                if (phase.get() < 0) {
                    throw new AssertionError("the selector failed", failure[0]);
                }
                Thread.onSpinWait();
            }
            AltResult result = results[i];
            if (result.isDefault() || result.isTimedOut()) {
                defaults++;
            }
            r.check(result);
        }
        selector.join();
        return defaults;
    }

    @Test
    void theChannelsOfAnAltsWithDefaultAreLookedAtTogetherEvenWhenOneAppearsTwice() {
        // The look under all the channels' locks takes each lock once, and leaves them all free.
        Chan<Integer> a = chan(1), b = chan();
        for (int i = 0; i < 1_000; i++) {
            AltResult r = alts(List.of(AltOp.take(a), AltOp.take(b), AltOp.take(a), AltOp.put(b, i)), false, "none");
            assertTrue(r.isDefault());
            assertSame(Csp.DEFAULT, r.channel());
        }
        assertTrue(a.offer(1), "a's lock was left free");
        assertEquals(1, a.poll());
        assertFalse(b.offer(2), "b has no taker, and its lock was left free");
    }
}
