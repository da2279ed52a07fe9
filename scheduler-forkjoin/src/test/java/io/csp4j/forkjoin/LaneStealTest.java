package io.csp4j.forkjoin;

import static io.csp4j.forkjoin.Lane.PROBE_NANOS;
import static io.csp4j.forkjoin.Lane.PROGRESS_RELOOK_NANOS;
import static io.csp4j.forkjoin.Lane.SMALL_GROUP_AGE_NANOS;
import static io.csp4j.forkjoin.Lane.STARVED_NANOS;
import static io.csp4j.forkjoin.Lane.STEAL_AGE_NANOS;
import static io.csp4j.forkjoin.LaneSteps.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ForkJoin lanes' stealing policy, step by step and without threads: when the unstarted
 * processes of a lane may be taken by an idle one, how many, which, and what a thief's look at the
 * lane's thread must have seen first (the class comment of {@link Lane} and the Javadoc of
 * {@code nanosUntilBusy} and {@code stealInto}).
 *
 * <p>The TCK cannot check this (ADR 0029 keeps timing out of the contract: it asks only that
 * unstarted work does leave a held lane and that a small group stays with a lane that makes
 * progress, 1.5f and 1.13a-e), and the module's tests with running lanes see only its outcome on a
 * loaded machine; here every time is given. The lanes are never started: the test's thread plays
 * both the spawner and (through {@link Lane#next()}) each lane's own thread, and the time of each
 * look is passed to {@link Lane#stealInto(Lane, long)}. A lane whose thread was not started reads
 * as working (no CPU time, not RUNNABLE) and held (it runs no task); the looks that see other
 * threads are given to {@link Lane#nanosUntilBusy(long, int, long, long, int, boolean)}. Processes
 * are spawned from the test's thread, so they wait in the lane's inbox as it does when it is held,
 * placed at a time between {@code before} and {@code after}; each assertion holds for any such time.
 */
class LaneStealTest {

    private ForkJoinDispatcher owner;
    private long before;
    private long after;

    @BeforeEach
    void start() {
        owner = new ForkJoinDispatcher(1); // one lane of its own: wakeThief() has nobody to wake
    }

    @AfterEach
    void stop() {
        owner.close();
    }

    /** The first step of a process, known by its number. */
    private record Step(int id) implements Runnable {
        @Override
        public void run() {
            throw new AssertionError("a lane of this test runs nothing");
        }
    }

    private Lane lane(int index) {
        return new Lane(owner, index, "steal-test-lane-" + index);
    }

    /** Spawns {@code n} processes on {@code lane} from this thread, setting {@link #before} and {@link #after}. */
    private List<Step> spawn(Lane lane, int n) {
        return spawn(lane, 0, n);
    }

    private List<Step> spawn(Lane lane, int firstId, int n) {
        List<Step> steps = new ArrayList<>();
        before = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Step s = new Step(firstId + i);
            steps.add(s);
            lane.spawn(s);
        }
        after = System.nanoTime();
        return steps;
    }

    /**
     * A thief's first look at {@code victim} at {@code t} (its processes old enough) only starts the
     * watch of its thread; the look {@link Lane#PROBE_NANOS} later steals, since the lane, never
     * started, reads as working and held.
     */
    private static void stealAfterWatch(Lane victim, Lane thief, long t) {
        assertFalse(victim.stealInto(thief, t), "the first look only starts the watch");
        assertTrue(victim.stealInto(thief, t + PROBE_NANOS), "watched for PROBE_NANOS, held and working");
    }

    @Test
    void bulkWorkIsStolenOnlyOnceItHasWaitedTheStealAgeAndTheLaneWasWatchedHeld() {
        Lane victim = lane(0);
        Lane thief = lane(1);
        assertEquals(-1, victim.nanosUntilStealable(System.nanoTime()), "nothing waits yet");
        List<Step> steps = spawn(victim, 7);

        // Young: the thief is told when they will be old enough, and takes nothing.
        long untilOld = victim.nanosUntilStealable(before);
        assertTrue(untilOld >= STEAL_AGE_NANOS && untilOld <= STEAL_AGE_NANOS + (after - before), "until old: " + untilOld);
        assertFalse(victim.stealInto(thief, before + STEAL_AGE_NANOS - 1));

        // Old enough: the first look only starts watching the lane's thread.
        long t = after + STEAL_AGE_NANOS;
        assertFalse(victim.stealInto(thief, t));
        assertEquals(PROBE_NANOS - 1, victim.nanosUntilStealable(t + 1), "the rest of the watch");
        assertFalse(victim.stealInto(thief, t + PROBE_NANOS - 1));
        assertEquals(List.of(), drain(thief));

        // Watched for PROBE_NANOS, it ran no task and worked: half of the seven, rounded up, the oldest.
        assertEquals(0, victim.nanosUntilStealable(t + PROBE_NANOS));
        assertTrue(victim.stealInto(thief, t + PROBE_NANOS));
        assertEquals(steps.subList(0, 4), drain(thief), "the thief starts the four oldest, in order");
        assertEquals(steps.subList(4, 7), drain(victim), "the lane keeps the three youngest, in order");
    }

    @Test
    void aSecondThiefTakesHalfOfWhatIsLeftAndNothingIsTakenTwice() {
        Lane victim = lane(0);
        Lane first = lane(1);
        Lane second = lane(2);
        List<Step> steps = spawn(victim, 7);
        long t = after + STEAL_AGE_NANOS;
        stealAfterWatch(victim, first, t);
        // The lane is still held (no new task since the watch began): three left, two taken.
        assertTrue(victim.stealInto(second, t + PROBE_NANOS + 1));
        assertEquals(steps.subList(0, 4), drain(first));
        assertEquals(steps.subList(4, 6), drain(second));
        assertEquals(steps.subList(6, 7), drain(victim));
    }

    @Test
    void stolenProcessesArePlacedAnewAndWaitTheStealAgeOnTheThiefBeforeTheyMoveAgain() {
        Lane victim = lane(0);
        Lane thief = lane(1);
        Lane next = lane(2);
        List<Step> steps = spawn(victim, 7);
        long t = after + STEAL_AGE_NANOS;
        stealAfterWatch(victim, thief, t);
        long stolenAt = t + PROBE_NANOS;
        // Four wait on the thief now, placed when they were stolen: bulk, STEAL_AGE_NANOS from then.
        assertEquals(STEAL_AGE_NANOS, thief.nanosUntilStealable(stolenAt));
        assertFalse(thief.stealInto(next, stolenAt + STEAL_AGE_NANOS - 1));
        stealAfterWatch(thief, next, stolenAt + STEAL_AGE_NANOS);
        assertEquals(steps.subList(0, 2), drain(next));
        assertEquals(steps.subList(2, 4), drain(thief));
    }

    @Test
    void aSmallGroupMovesWholeAndOnlyAfterTheSmallGroupAgeFromALaneHeldThroughTheRelook() {
        Lane victim = lane(0);
        Lane thief = lane(1);
        List<Step> pair = spawn(victim, 2);

        // A pair (a ping-pong started from main) is not bulk work: the bulk age is not enough.
        long untilOld = victim.nanosUntilStealable(after + STEAL_AGE_NANOS);
        assertTrue(untilOld > 0 && untilOld <= SMALL_GROUP_AGE_NANOS - STEAL_AGE_NANOS, "until old: " + untilOld);
        assertFalse(victim.stealInto(thief, after + STEAL_AGE_NANOS));
        assertFalse(victim.stealInto(thief, before + SMALL_GROUP_AGE_NANOS - 1));

        // Old enough: watched for PROBE_NANOS it was held, but a pair moves only from a lane held
        // PROGRESS_RELOOK_NANOS (a step that runs a little long must not split it for good).
        long t = after + SMALL_GROUP_AGE_NANOS;
        assertFalse(victim.stealInto(thief, t));
        assertEquals(PROGRESS_RELOOK_NANOS - PROBE_NANOS, victim.nanosUntilStealable(t + PROBE_NANOS));
        assertFalse(victim.stealInto(thief, t + PROGRESS_RELOOK_NANOS - 1));
        assertTrue(victim.stealInto(thief, t + PROGRESS_RELOOK_NANOS));
        assertEquals(pair, drain(thief), "the pair moves whole, in order");
        assertEquals(List.of(), drain(victim));
    }

    @ParameterizedTest(name = "{0} waiting: {1} taken")
    @CsvSource({"1, 1", "2, 2", "3, 2", "4, 2", "5, 3", "253, 127", "255, 128", "256, 128", "300, 128"})
    void aStealTakesASmallGroupWholeElseHalfRoundedUpAndAtMostOneBatch(int waiting, int taken) {
        Lane victim = lane(0);
        Lane thief = lane(1);
        List<Step> steps = spawn(victim, waiting);
        long t = after + SMALL_GROUP_AGE_NANOS; // old enough for any group
        assertFalse(victim.stealInto(thief, t));
        assertTrue(victim.stealInto(thief, t + PROGRESS_RELOOK_NANOS));
        assertEquals(steps.subList(0, taken), drain(thief));
        assertEquals(steps.subList(taken, waiting), drain(victim));
    }

    @Test
    void processesTheLaneDrainedGoFirstThenThoseStillInItsInbox() {
        Lane victim = lane(0);
        Lane thief = lane(1);
        List<Step> drained = spawn(victim, 3);
        assertEquals(drained.get(0), victim.next(), "the lane drains all three and starts the first");
        long drainedBefore = before;
        List<Step> inInbox = spawn(victim, 3, 4);
        // Two wait in its unstarted queue and four in its inbox: six, three of them taken, oldest first.
        long t = after + STEAL_AGE_NANOS;
        assertTrue(victim.nanosUntilStealable(drainedBefore + STEAL_AGE_NANOS - 1) > 0);
        stealAfterWatch(victim, thief, t);
        assertEquals(List.of(drained.get(1), drained.get(2), inInbox.get(0)), drain(thief));
        assertEquals(inInbox.subList(1, 4), drain(victim));
    }

    @Test
    void aBatchIsTakenOldestFirstWithoutLookingAtTheAgeOfEachProcessBehindTheOldest() {
        Lane victim = lane(0);
        Lane thief = lane(1);
        List<Step> old = spawn(victim, 3);
        long oldAfter = after;
        while (System.nanoTime() - oldAfter <= PROBE_NANOS + 1) {
            Thread.onSpinWait(); // the next four are placed more than PROBE_NANOS after these three
        }
        List<Step> young = spawn(victim, 3, 4);
        // Seven wait; the watch begins once the three are old, and at the steal the four are young
        // still. Four are taken: the three old ones, and the young one behind them (the age of the
        // oldest says the lane is behind, as in Go; each one's age is not looked at).
        long stealAt = before + STEAL_AGE_NANOS - 1;
        assertFalse(victim.stealInto(thief, stealAt - PROBE_NANOS));
        assertTrue(victim.stealInto(thief, stealAt));
        List<Runnable> expected = new ArrayList<>(old);
        expected.add(young.get(0));
        assertEquals(expected, drain(thief));
        assertEquals(young.subList(1, 4), drain(victim));
    }

    @Test
    void aThiefWalksAtMostMaxWalkNodesOfAHeldLanesInbox() {
        Runnable task = () -> {};
        // 1,021 tasks and then three processes: 1,024 nodes, all walked; bulk work, taken as usual.
        Lane near = lane(0);
        Lane thief = lane(1);
        for (int i = 0; i < Lane.MAX_WALK - 3; i++) {
            near.execute(task);
        }
        List<Step> seen = spawn(near, 3);
        long t = after + STEAL_AGE_NANOS;
        stealAfterWatch(near, thief, t);
        assertEquals(seen.subList(0, 2), drain(thief));

        // 1,024 tasks and then three processes: beyond the walk, so no thief sees them, however long
        // they wait; they start when the lane gets to them (ADR 0035).
        Lane far = lane(2);
        for (int i = 0; i < Lane.MAX_WALK; i++) {
            far.execute(task);
        }
        List<Step> unseen = spawn(far, 3);
        assertEquals(-1, far.nanosUntilStealable(after + STARVED_NANOS));
        assertFalse(far.stealInto(thief, after + STARVED_NANOS));
        List<Runnable> started = drain(far);
        assertEquals(Lane.MAX_WALK + 3, started.size());
        assertEquals(unseen, started.subList(Lane.MAX_WALK, Lane.MAX_WALK + 3));
    }

    // The judgement of a look at the lane's thread, given what each look saw.

    private static final int BULK = 3;
    private static final int PAIR = 2;

    @Test
    void aLaneWorkingThroughShortTasksGivesUpBulkWorkButKeepsASmallGroupUntilItIsHeld() {
        Lane bulk = lane(0);
        long t = System.nanoTime();
        assertEquals(PROBE_NANOS, bulk.nanosUntilBusy(t, BULK, t, 0, 0, false), "the first look starts the watch");
        assertEquals(PROBE_NANOS - 10, bulk.nanosUntilBusy(t + 10, BULK, t, 10, 0, false), "the rest of the watch");
        // It ran 40 tasks on a CPU through the window: working, not held; bulk work is shared anyway.
        assertEquals(0, bulk.nanosUntilBusy(t + PROBE_NANOS, BULK, t, PROBE_NANOS, 40, false));

        Lane pair = lane(1);
        assertEquals(PROBE_NANOS, pair.nanosUntilBusy(t, PAIR, t, 0, 0, false));
        // Working through short tasks: the pair starts in its turn; watch again, look again later.
        long t1 = t + PROBE_NANOS;
        assertEquals(PROGRESS_RELOOK_NANOS, pair.nanosUntilBusy(t1, PAIR, t, PROBE_NANOS, 40, false));
        // From then on it runs no new task (one holds it): the pair moves once that lasted the relook.
        assertEquals(PROGRESS_RELOOK_NANOS - PROBE_NANOS,
                pair.nanosUntilBusy(t1 + PROBE_NANOS, PAIR, t, 2 * PROBE_NANOS, 40, false));
        assertEquals(0, pair.nanosUntilBusy(t1 + PROGRESS_RELOOK_NANOS, PAIR, t, PROBE_NANOS + PROGRESS_RELOOK_NANOS, 40, false));
    }

    @Test
    void aLaneWaitingForACpuIsNotStolenFromUntilItsProcessesStarve() {
        Lane lane = lane(0);
        long oldest = System.nanoTime();
        long t = oldest + STEAL_AGE_NANOS;
        long cpu = 0;
        assertEquals(PROBE_NANOS, lane.nanosUntilBusy(t, BULK, oldest, cpu, 7, false));
        // RUNNABLE but on a CPU less than half of each window (preempted by the operating system):
        // not working; every look starts a new watch, until the oldest has waited STARVED_NANOS.
        while (t + PROBE_NANOS - oldest < STARVED_NANOS) {
            t += PROBE_NANOS;
            cpu += PROBE_NANOS / 2 - 1;
            assertEquals(PROBE_NANOS, lane.nanosUntilBusy(t, BULK, oldest, cpu, 7, false), "at " + (t - oldest));
        }
        assertTrue(lane.nanosUntilBusy(oldest + STARVED_NANOS - 1, BULK, oldest, cpu, 7, false) > 0, "not starved yet");
        assertEquals(0, lane.nanosUntilBusy(oldest + STARVED_NANOS, BULK, oldest, cpu, 7, false), "starved");
    }

    @Test
    void halfOfTheWindowOnACpuOrBlockedInJavaOrNoCpuClockCountsAsWorking() {
        long t = System.nanoTime();
        Lane half = lane(0);
        half.nanosUntilBusy(t, BULK, t, 1_000, 3, false);
        assertEquals(0, half.nanosUntilBusy(t + PROBE_NANOS, BULK, t, 1_000 + PROBE_NANOS / 2, 3, false));

        Lane blocked = lane(1);
        blocked.nanosUntilBusy(t, BULK, t, 1_000, 3, true);
        assertEquals(0, blocked.nanosUntilBusy(t + PROBE_NANOS, BULK, t, 1_000, 3, true), "blocked in Java, no CPU");

        Lane noClock = lane(2);
        noClock.nanosUntilBusy(t, BULK, t, -1, 3, false);
        assertEquals(0, noClock.nanosUntilBusy(t + PROBE_NANOS, BULK, t, -1, 3, false), "no CPU clock");

        Lane neverOnACpu = lane(4);
        neverOnACpu.nanosUntilBusy(t, BULK, t, 0, 3, false);
        assertEquals(PROBE_NANOS, neverOnACpu.nanosUntilBusy(t + PROBE_NANOS, BULK, t, 0, 3, false),
                "RUNNABLE with its CPU clock still at 0: waiting for a CPU");

        Lane preempted = lane(3);
        preempted.nanosUntilBusy(t, BULK, t, 1_000, 3, false);
        assertEquals(PROBE_NANOS, preempted.nanosUntilBusy(t + PROBE_NANOS, BULK, t, 1_000 + PROBE_NANOS / 2 - 1, 3, false));
    }

    @Test
    void aWatchOlderThanTwoRelooksStartsOver() {
        long t = System.nanoTime();
        Lane stale = lane(0);
        stale.nanosUntilBusy(t, BULK, t, 0, 3, true);
        assertEquals(PROBE_NANOS, stale.nanosUntilBusy(t + 2 * PROGRESS_RELOOK_NANOS + 1, BULK, t, 0, 3, true));
        assertEquals(0, stale.nanosUntilBusy(t + 2 * PROGRESS_RELOOK_NANOS + 1 + PROBE_NANOS, BULK, t, 0, 3, true));

        Lane fresh = lane(1);
        fresh.nanosUntilBusy(t, BULK, t, 0, 3, true);
        assertEquals(0, fresh.nanosUntilBusy(t + 2 * PROGRESS_RELOOK_NANOS, BULK, t, 0, 3, true), "not stale yet");
    }
}
