package io.csp4j.forkjoin;

import static io.csp4j.forkjoin.Lane.PARKED;
import static io.csp4j.forkjoin.Lane.PROGRESS_RELOOK_NANOS;
import static io.csp4j.forkjoin.Lane.RUNNING;
import static io.csp4j.forkjoin.Lane.SMALL_GROUP_AGE_NANOS;
import static io.csp4j.forkjoin.Lane.SPIN_NANOS;
import static io.csp4j.forkjoin.Lane.STARVED_NANOS;
import static io.csp4j.forkjoin.Lane.STEAL_AGE_NANOS;
import static io.csp4j.forkjoin.LaneSteps.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a ForkJoin lane does when it runs out of work ({@link Lane#idle()}), step by step: it spins
 * only after it ran a task and only in a free spinner slot, which it gives back; the spin ends at
 * once when a task arrives or the lane closes, steals what has become stealable elsewhere, and lasts
 * {@link Lane#SPIN_NANOS} at least; then the lane parks, for good when no work waits elsewhere and
 * until that work may be stolen when some does (without parking when it may be stolen now), and the
 * wait for its wake-up does not count as waiting for the processes it holds.
 *
 * <p>Out of the TCK's contract (ADR 0029: how soon work moves and what an idle lane costs) and
 * hardly visible to the threaded tests on a loaded machine; here the dispatcher's four lanes are
 * never started and the test's thread plays the idle lane's own thread. It parks where the lane's
 * thread would: its parks are counted through {@link ThreadMXBean#getThreadInfo(long)}'s waited
 * count (which {@code LockSupport.park} increments), and a helper thread wakes it where a submitter
 * would. Processes become stealable with time only: a test waits {@link Lane#STARVED_NANOS} for
 * them to be stolen at once, with no watch of their lane's thread; every bound checked is one that
 * a slow machine can only make hold more surely, or the test is skipped when it could not hold. A
 * lane that parks where it must not is interrupted by the time-out (a park returns on interrupt).
 */
@Timeout(30)
class LaneIdleTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ForkJoinDispatcher owner;
    private Lane victim;
    private Lane thief;

    /**
     * Not closed: it started no thread (its timer's starts on the first schedule, and none is made),
     * and {@code close()} would join lane threads that were never started, which throws.
     */
    @BeforeEach
    void start() {
        owner = new ForkJoinDispatcher(4, null, false); // at most 2 spinners
        victim = owner.lanes[0];
        thief = owner.lanes[1];
    }

    private record Step(int id) implements Runnable {
        @Override
        public void run() {
            throw new AssertionError("a lane of this test runs nothing");
        }
    }

    private static List<Step> spawn(Lane lane, int n) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Step s = new Step(i);
            steps.add(s);
            lane.spawn(s);
        }
        return steps;
    }

    /** How many times this thread has parked (or waited, or slept) so far. */
    private static long parks() {
        return THREADS.getThreadInfo(Thread.currentThread().threadId()).getWaitedCount();
    }

    /** Spawns seven processes onto the victim and waits until they are starved: stealable at once. */
    private List<Step> starvedWorkOnTheVictim() throws InterruptedException {
        List<Step> steps = spawn(victim, 7);
        TimeUnit.NANOSECONDS.sleep(STARVED_NANOS + TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, victim.nanosUntilStealable(System.nanoTime()), "starved: stealable now");
        return steps;
    }

    /**
     * Lets {@code lane} go idle once (a task waiting ends it at once) and takes that task without
     * running it: the lane has run no task since it was last idle, as one woken for nothing, so its
     * next idle() does not spin (only the lane's loop, running a task, allows the next spin).
     */
    private static void idleOnceWithATaskWaiting(Lane lane) {
        Step t = new Step(-1);
        lane.execute(t);
        lane.idle();
        assertEquals(List.of(t), drain(lane));
    }

    /** Both spinner slots are free (taken and given back here). */
    private void assertEverySpinnerSlotFree() {
        assertTrue(owner.tryStartSpinning());
        assertTrue(owner.tryStartSpinning());
        assertFalse(owner.tryStartSpinning(), "two slots for four lanes");
        owner.stopSpinning();
        owner.stopSpinning();
    }

    @Test
    void aLaneThatRanATaskSpinsAndStealsWhatBecameStealableElsewhereWithoutParking() throws Exception {
        List<Step> steps = starvedWorkOnTheVictim();
        long parks = parks();
        thief.idle();
        assertEquals(parks, parks(), "found work in the spin: no park");
        assertEquals(RUNNING, thief.state());
        assertEverySpinnerSlotFree();
        assertEquals(steps.subList(0, 4), drain(thief), "half of the seven, the oldest, stolen in the spin");
        assertEquals(steps.subList(4, 7), drain(victim));
    }

    @Test
    void aLaneThatRanNoTaskSinceItWasLastIdleDoesNotSpinButDoesNotParkWhileWorkIsStealable() throws Exception {
        idleOnceWithATaskWaiting(thief);
        List<Step> steps = starvedWorkOnTheVictim();
        long parks = parks();
        thief.idle();
        assertEquals(parks, parks(), "stealable work elsewhere: no park");
        assertEquals(RUNNING, thief.state());
        assertEquals(List.of(), drain(thief), "no spin, so no steal in idle(): the lane's loop steals next");
        assertEquals(steps, drain(victim));
    }

    @Test
    void aLaneDoesNotSpinWithoutAFreeSpinnerSlotAndLeavesTheSlotsAsTheyWere() throws Exception {
        assertTrue(owner.tryStartSpinning());
        assertTrue(owner.tryStartSpinning());
        try {
            starvedWorkOnTheVictim();
            long parks = parks();
            thief.idle();
            assertEquals(parks, parks());
            assertEquals(List.of(), drain(thief), "did not spin: stole nothing");
            assertFalse(owner.tryStartSpinning(), "both slots still taken by their owners");
        } finally {
            owner.stopSpinning();
            owner.stopSpinning();
        }
        assertEverySpinnerSlotFree();
    }

    @Test
    void aSpinOrAParkEndsAtOnceWhenATaskIsWaitingOrTheLaneIsClosing() {
        long parks = parks();
        Step t = new Step(1);
        thief.execute(t);
        thief.idle(); // spins (it has not run out of work before), sees the task
        assertEquals(RUNNING, thief.state());
        assertEquals(List.of(t), drain(thief));
        thief.execute(t);
        thief.idle(); // does not spin (its last idle() ran no task since), sees the task before parking
        assertEquals(RUNNING, thief.state());
        assertEquals(List.of(t), drain(thief));

        Lane closing = owner.lanes[2];
        closing.terminate();
        closing.idle(); // spins, sees the close
        assertEquals(RUNNING, closing.state());
        closing.idle(); // does not spin, sees the close before parking
        assertEquals(RUNNING, closing.state());
        assertEquals(parks, parks(), "never parked");
        assertEverySpinnerSlotFree();
    }

    @RepeatedTest(5)
    void aSpinWithNothingToFindLastsSpinNanosThenTheLaneParksForGoodUntilWokenWithItsSlotFree() throws Exception {
        Thread lane = Thread.currentThread();
        AtomicBoolean parkedTimed = new AtomicBoolean(true);
        AtomicBoolean slotsFree = new AtomicBoolean();
        long[] parkedAt = new long[1];
        long[] unparkedAt = new long[1];
        List<Step> spawnedWhileParked = new ArrayList<>();
        CompletableFuture<Void> submitter = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thief.state() != PARKED && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            parkedAt[0] = System.nanoTime();
            parkedTimed.set(thief.isParkedTimed());
            slotsFree.set(owner.tryStartSpinning() && owner.tryStartSpinning());
            owner.stopSpinning();
            owner.stopSpinning();
            // Three processes arrive while it sleeps, and it takes a while to wake up: that wait is not
            // theirs (a thief must not take them just because their lane was slow to wake).
            spawnedWhileParked.addAll(spawn(thief, 3));
            LockSupport.parkNanos(4 * STEAL_AGE_NANOS);
            unparkedAt[0] = System.nanoTime();
            LockSupport.unpark(lane);
        });
        long parks = parks();
        long idleAt = System.nanoTime();
        thief.idle();
        long parked = parks() - parks; // before waiting for the submitter, which may count as a wait
        submitter.get(20, TimeUnit.SECONDS);

        assertEquals(1, parked, "parked once");
        assertTrue(parkedAt[0] - idleAt >= SPIN_NANOS, "spun for " + (parkedAt[0] - idleAt) + " ns before parking");
        assertFalse(parkedTimed.get(), "no work waits elsewhere: parked until woken");
        assertTrue(slotsFree.get(), "its slot given back before it parked");
        assertEquals(RUNNING, thief.state());
        assertTrue(thief.nanosUntilStealable(unparkedAt[0]) >= STEAL_AGE_NANOS,
                "its processes wait the steal age from its wake-up, not from their spawn");
        assertEquals(spawnedWhileParked, drain(thief));
    }

    @RepeatedTest(5)
    void aLaneParksOnlyUntilWorkWaitingElsewhereMayBeStolen() throws Exception {
        Thread lane = Thread.currentThread();
        AtomicBoolean watchdogFired = new AtomicBoolean();
        CompletableFuture<Boolean> finished = new CompletableFuture<>();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                finished.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                watchdogFired.set(true);
                LockSupport.unpark(lane);
            }
        });
        long spawnedAt = System.nanoTime();
        List<Step> one = spawn(victim, 1); // a small group: stealable SMALL_GROUP_AGE_NANOS from now at the soonest
        long parks = parks();
        thief.idle();
        long idleEnd = System.nanoTime();
        long parked = parks() - parks;
        finished.complete(true);
        watchdog.join();

        assertFalse(watchdogFired.get(), "parked until woken, though work waited elsewhere");
        if (parked == 0) {
            // Without a park, idle() must have found the process stealable: only a stall of this
            // thread from the spawn through a whole watch could make it so.
            assumeFalse(idleEnd - spawnedAt >= SMALL_GROUP_AGE_NANOS + PROGRESS_RELOOK_NANOS,
                    "stalled: the process became stealable before the lane could park");
            fail("returned after " + (idleEnd - spawnedAt) + " ns without parking, the process not stealable yet");
        }
        assertEquals(1, parked, "one timed park");
        assertFalse(thief.isParkedTimed(), "cleared once back");
        assertEquals(RUNNING, thief.state());
        assertEquals(List.of(), drain(thief), "idle() steals nothing after its park: the loop does");
        assertEquals(one, drain(victim));
    }

    @Test
    void aThiefAboutToParkLooksAtEveryOtherLaneAndWaitsForTheSoonestWork() throws Exception {
        assertEquals(-1, owner.nanosUntilStealable(thief), "no work waits anywhere: park for good");
        spawn(thief, 7); // its own: never its own thief
        assertEquals(-1, owner.nanosUntilStealable(thief));

        // Lane 2 (looked at first) holds a pair, stealable SMALL_GROUP_AGE_NANOS from now; lane 0
        // (looked at last) holds bulk work, stealable STEAL_AGE_NANOS from now: the thief waits for
        // the sooner. A slow machine only brings the time nearer (or makes it a first look's PROBE_NANOS).
        spawn(owner.lanes[2], 2);
        long untilPair = owner.nanosUntilStealable(thief);
        assertTrue(untilPair > 0 && untilPair <= SMALL_GROUP_AGE_NANOS, "the pair: " + untilPair);
        spawn(victim, 3);
        long untilBulk = owner.nanosUntilStealable(thief);
        assertTrue(untilBulk > 0 && untilBulk <= STEAL_AGE_NANOS, "the bulk work, the sooner: " + untilBulk);
        spawn(owner.lanes[3], 5);
        long untilEither = owner.nanosUntilStealable(thief);
        assertTrue(untilEither > 0 && untilEither <= STEAL_AGE_NANOS, "the soonest of three: " + untilEither);

        // Starved: stealable now, whichever lane holds it.
        TimeUnit.NANOSECONDS.sleep(STARVED_NANOS + TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, owner.nanosUntilStealable(thief));
    }

    @Test
    void aLaneNeverStealsItsOwnWork() throws Exception {
        List<Step> own = spawn(thief, 7);
        TimeUnit.NANOSECONDS.sleep(STARVED_NANOS + TimeUnit.MILLISECONDS.toNanos(5));
        assertEquals(0, thief.nanosUntilStealable(System.nanoTime()), "starved: another lane would take them");
        assertFalse(owner.stealFor(thief), "nothing elsewhere");
        assertEquals(-1, owner.nanosUntilStealable(thief));
        assertEquals(own, drain(thief), "all seven, in order, as spawned");
    }

    @Test
    void aLaneThatIsNotRunningIsLookedAtAgainLaterAndNotStolenFrom() throws Exception {
        List<Step> steps = starvedWorkOnTheVictim();
        victim.setStateOfUnstartedLane(Lane.SPINNING, false);
        long now = System.nanoTime();
        assertEquals(4 * STEAL_AGE_NANOS, victim.nanosUntilStealable(now),
                "spinning: it is about to start them itself; look again once it had the time");
        assertFalse(victim.stealInto(thief, now));
        victim.setStateOfUnstartedLane(Lane.NOTIFIED, false);
        assertEquals(4 * STEAL_AGE_NANOS, victim.nanosUntilStealable(now), "waking up: the same");
        victim.setStateOfUnstartedLane(RUNNING, false);
        assertTrue(victim.stealInto(thief, now), "running, starved: stolen at once");
        assertEquals(steps.subList(0, 4), drain(thief));
    }
}
