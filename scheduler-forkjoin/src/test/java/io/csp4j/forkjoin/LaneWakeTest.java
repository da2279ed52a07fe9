package io.csp4j.forkjoin;

import static io.csp4j.forkjoin.Lane.NOTIFIED;
import static io.csp4j.forkjoin.Lane.PARKED;
import static io.csp4j.forkjoin.Lane.RUNNING;
import static io.csp4j.forkjoin.Lane.SPINNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ForkJoin lanes' wake-up policy, step by step and without threads: which parked lane a request
 * for a thief wakes (none while another lane spins or watches unstarted work until a deadline, else
 * exactly one), when a spawn from another thread asks for one (only when something may hold the
 * lane before it starts the process), when a lane about to run a task asks for one itself, and the
 * answers these decisions read ({@link Lane#wake()}, the inbox's "a task was ahead").
 *
 * <p>The TCK checks only the outcome, that unstarted work leaves a held lane (1.13a-e); a wake-up
 * more or fewer changes how soon and at what CPU cost, which ADR 0029 keeps out of the contract and
 * the benchmarks see. Here the dispatcher's four lanes are never started: the test's thread plays
 * the spawner and, through {@link Lane#next()}, the lane's own thread, and sets each lane's state as
 * its thread would ({@link Lane#setStateOfUnstartedLane}). A woken lane reads {@code NOTIFIED}
 * (unparking a thread that was never started does nothing).
 */
class LaneWakeTest {

    private ForkJoinDispatcher owner;
    private Lane[] lanes;

    /**
     * Not closed: it started no thread (its timer's starts on the first schedule, and none is made),
     * and {@code close()} would join lane threads that were never started, which throws.
     */
    @BeforeEach
    void start() {
        owner = new ForkJoinDispatcher(4, null, false); // at most 2 spinners
        lanes = owner.lanes;
    }

    /** A task or the first step of a process, known by its name. */
    private record Step(String name) implements Runnable {
        @Override
        public void run() {
            throw new AssertionError("a lane of this test runs nothing");
        }
    }

    /** Parks every lane but {@code except} (untimed): each may be woken as a thief. */
    private void parkAllBut(Lane except) {
        for (Lane l : lanes) {
            if (l != except) {
                l.setStateOfUnstartedLane(PARKED, false);
            }
        }
    }

    /** The indices of the lanes that are NOTIFIED: woken (by this test's call, or set so by the test). */
    private List<Integer> woken() {
        List<Integer> woken = new ArrayList<>();
        for (Lane l : lanes) {
            if (l.state() == NOTIFIED) {
                woken.add(l.index);
            }
        }
        return woken;
    }

    @Test
    void wakeUnparksOnlyAParkedLaneAndAnswersTrueOnlyToTheCallThatDid() {
        Lane lane = lanes[1];
        assertFalse(lane.wake(), "a running lane needs no wake-up");
        assertEquals(RUNNING, lane.state());

        lane.setStateOfUnstartedLane(SPINNING, false);
        assertFalse(lane.wake(), "a spinning lane sees its inbox by itself");
        assertEquals(SPINNING, lane.state());
        assertTrue(lane.isSpinning());
        assertFalse(lane.isParked());

        lane.setStateOfUnstartedLane(PARKED, false);
        assertTrue(lane.isParked());
        assertFalse(lane.isParkedTimed());
        assertTrue(lane.wake(), "the call that unparks it");
        assertEquals(NOTIFIED, lane.state());
        assertFalse(lane.isParked(), "woken, not parked: another request must not count on it");
        assertFalse(lane.wake(), "a burst costs one wake-up: the second caller does nothing");
        assertEquals(NOTIFIED, lane.state());

        lane.setStateOfUnstartedLane(PARKED, true);
        assertTrue(lane.isParked());
        assertTrue(lane.isParkedTimed(), "parked until a deadline");
    }

    @Test
    void theStateOfAStartedLaneIsItsThreadsAlone() {
        try (ForkJoinDispatcher running = new ForkJoinDispatcher(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> running.lanes[0].setStateOfUnstartedLane(PARKED, false));
            assertTrue(e.getMessage().contains("own thread"), e.getMessage());
        }
    }

    @Test
    void aRequestForAThiefWakesExactlyOneParkedLaneNeverTheBusyOne() {
        parkAllBut(lanes[0]);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(1), woken(), "the first parked lane, and only it");

        // The busy lane parked too (it will start the process itself when woken): never taken for a thief.
        parkAllBut(null);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(1), woken());

        parkAllBut(null);
        owner.wakeThief(lanes[2]);
        assertEquals(List.of(0), woken(), "the lanes are looked at in order, the busy one skipped");

        // Lane 1 was woken by a submitter already (it is not parked): the request wakes the next one.
        parkAllBut(null);
        lanes[1].setStateOfUnstartedLane(NOTIFIED, false);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(1, 2), woken(), "lane 2 woken, lane 1 as it was");
        assertEquals(PARKED, lanes[3].state());

        // Nobody parked: nothing to wake, and nothing changes.
        for (Lane l : lanes) {
            l.setStateOfUnstartedLane(RUNNING, false);
        }
        owner.wakeThief(lanes[0]);
        for (Lane l : lanes) {
            assertEquals(RUNNING, l.state());
        }
    }

    @Test
    void noLaneIsWokenWhileAnotherOneSpinsUnlessTheSpinnerIsTheBusyLane() {
        assertTrue(owner.tryStartSpinning(), "a spinner's slot");
        try {
            parkAllBut(lanes[0]);
            lanes[2].setStateOfUnstartedLane(SPINNING, false);
            owner.wakeThief(lanes[0]);
            assertEquals(List.of(), woken(), "the spinner looks for work to steal: it is the thief");

            // The busy lane's own spin ends by starting the first of its processes, which may hold it.
            parkAllBut(lanes[2]);
            owner.wakeThief(lanes[2]);
            assertEquals(List.of(0), woken());
        } finally {
            owner.stopSpinning();
        }
    }

    @Test
    void noLaneIsWokenWhileAnotherOneIsParkedUntilADeadlineUnlessThatIsTheBusyLane() {
        parkAllBut(lanes[0]);
        lanes[3].setStateOfUnstartedLane(PARKED, true);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(), woken(), "lane 3 watches unstarted work and comes back within a few ms");

        parkAllBut(null);
        lanes[0].setStateOfUnstartedLane(PARKED, true);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(1), woken(), "the busy lane's own deadline does not count");

        // Lane 3 was woken from its timed park and has not cleared its flag yet: it is not watching.
        parkAllBut(lanes[0]);
        lanes[3].setStateOfUnstartedLane(NOTIFIED, true);
        owner.wakeThief(lanes[0]);
        assertEquals(List.of(1, 3), woken(), "lane 1 woken");
    }

    @Test
    void aSpawnFromAnotherThreadOntoAnIdleLaneWithNothingAheadWakesOnlyThatLane() {
        Lane lane = lanes[0];
        parkAllBut(null);
        lane.spawn(new Step("p"));
        assertEquals(List.of(0), woken(), "the lane starts it next: no thief");

        // The same onto a lane that spins.
        parkAllBut(lanes[0]);
        lane.setStateOfUnstartedLane(SPINNING, false);
        assertTrue(owner.tryStartSpinning());
        try {
            LaneSteps.drain(lane);
            lane.spawn(new Step("q"));
        } finally {
            owner.stopSpinning();
        }
        assertEquals(List.of(), woken());
    }

    @Test
    void aSpawnFromAnotherThreadBehindATaskTheLaneHasNotDrainedAsksForAThief() {
        Lane lane = lanes[0];
        lane.execute(new Step("t"));
        parkAllBut(null); // the lane was woken for the task and has not drained it yet
        lane.spawn(new Step("p"));
        assertEquals(List.of(0, 1), woken(), "the task may hold the lane: a thief is woken");
        assertEquals(List.of(new Step("t"), new Step("p")), LaneSteps.drain(lane));
    }

    @Test
    void aSpawnFromAnotherThreadOntoAnIdleLaneWithAProcessWaitingToStartAsksForAThief() {
        Lane lane = lanes[0];
        lane.spawn(new Step("p0"));
        lane.spawn(new Step("p1"));
        assertEquals(new Step("p0"), lane.next(), "p0 starts; p1 waits in unstarted, the inbox is drained");
        parkAllBut(null);
        lane.spawn(new Step("p2"));
        assertEquals(List.of(0, 1), woken(), "one process waits ahead of it (p0 may hold the lane): a thief");
    }

    @Test
    void aSpawnFromAnotherThreadOntoARunningLaneAsksForAThief() {
        Lane lane = lanes[0];
        parkAllBut(lane);
        lane.spawn(new Step("p"));
        assertEquals(List.of(1), woken(), "the task it runs may hold it");
    }

    @Test
    void theInboxSaysWhetherATaskTheLaneHadNotDrainedWasAheadOfAStart() {
        Inbox inbox = new Inbox();
        ArrayDeque<Runnable> local = new ArrayDeque<>();
        Unstarted unstarted = new Unstarted();
        assertFalse(inbox.offer(new Unstarted.Start(new Step("p0"), 0)), "an empty inbox");
        assertTrue(inbox.offer(new Unstarted.Start(new Step("p1"), 0)), "p0 ahead");
        inbox.drainTo(local, unstarted);
        assertFalse(inbox.offer(new Unstarted.Start(new Step("p2"), 0)), "drained: nothing ahead");
        inbox.offer(new Step("t"));
        assertTrue(inbox.offer(new Unstarted.Start(new Step("p3"), 0)), "a task ahead");
        inbox.drainTo(local, unstarted);
        assertEquals(4, unstarted.size(), "the four starts");
        assertEquals(List.of(Unstarted.START, Unstarted.START, Unstarted.START, new Step("t"), Unstarted.START),
                List.copyOf(local), "one START per process, in order with the task");
    }

    /**
     * Queues on {@code lane}, from this thread, the tasks ({@code t...}) and processes (any other
     * name) named, in order; then parks every other lane.
     */
    private void queue(Lane lane, String... names) {
        for (String name : names) {
            if (name.startsWith("t")) {
                lane.execute(new Step(name));
            } else {
                lane.spawn(new Step(name));
            }
        }
        parkAllBut(lane);
    }

    /**
     * The lane's thread takes its next task, which must be {@code expected}, and the request for a
     * thief it made on the way wakes exactly {@code wokenLanes}; the others are parked again after.
     */
    private void assertNext(Lane lane, String expected, List<Integer> wokenLanes, String why) {
        assertEquals(new Step(expected), lane.next());
        assertEquals(wokenLanes, woken(), why);
        parkAllBut(lane);
    }

    @Test
    void aLaneAboutToRunATaskWithAProcessWaitingBehindItAsksForAThiefOnce() {
        Lane lane = lanes[0];
        queue(lane, "t1", "t2", "p", "t3");
        assertNext(lane, "t1", List.of(1), "t1 may hold the lane with p waiting behind it");
        assertNext(lane, "t2", List.of(), "asked once while p waits");
        assertNext(lane, "p", List.of(), "a process starts: it asks for nothing");
        assertNext(lane, "t3", List.of(), "nobody waits behind t3");
        assertSame(null, lane.next());

        // Out of work: the next task with a process behind it asks again.
        queue(lane, "t4", "q");
        assertNext(lane, "t4", List.of(1), "q waits behind t4");
        assertNext(lane, "q", List.of(), "");
        assertSame(null, lane.next());
    }

    @Test
    void aLaneWithNoProcessLeftWaitingAsksAgainForTheNextOneBehindATask() {
        Lane lane = lanes[0];
        queue(lane, "t1", "p", "t2");
        assertNext(lane, "t1", List.of(1), "p waits behind t1");
        assertNext(lane, "p", List.of(), "");
        assertNext(lane, "t2", List.of(), "none waits now; the lane is not out of work");

        // q arrives behind t3 while t2 runs: the lane asks again, without having run out of work.
        queue(lane, "t3", "q");
        assertNext(lane, "t3", List.of(1), "q waits behind t3");
        assertNext(lane, "q", List.of(), "");
        assertSame(null, lane.next());
    }
}
