package io.csp4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.csp4j.spi.Dispatcher;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The TCK's own tests: Part 1 run (through the JUnit Platform Launcher) against deliberately broken
 * dispatchers must fail exactly the clauses each one breaks, and pass every other one; against the
 * reference (the ForkJoin backend) it must pass every required clause. The whole TCK against the
 * reference runs as {@code io.csp4j.forkjoin.ForkJoinTckTest}.
 *
 * <p>The verification classes run here are static nested classes, which surefire does not pick up
 * on its own (its default excludes {@code **}{@code /*$*}).
 */
class TckSelfTest {

    /** Part 1 against the reference, with the reference's shared resources for 1.11. */
    static final class Reference extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.Forwarding();
        }

        @Override
        protected SharedResources createSharedResources() {
            return new BrokenDispatchers.SharedForkJoin(BrokenDispatchers.OverFault.NONE);
        }
    }

    /** Part 1 against a dispatcher that runs tasks inline on its own threads. */
    static final class Inline extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.InlineOnOwnThreads();
        }
    }

    /** Part 1 against a dispatcher that drops one task in 10,000. */
    static final class Dropping extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.DropsOneInTenThousand();
        }
    }

    /** Part 1 against a dispatcher whose timers fire after half their delay. */
    static final class Early extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.EarlyTimers();
        }
    }

    /** Part 1 against a dispatcher that claims event-loop lanes but runs each lane on two threads. */
    static final class TwoThreads extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.TwoThreadLanes();
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
        }
    }

    /** Part 1 against a dispatcher that swallows what its tasks throw. */
    static final class Swallowing extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.SwallowsFailures();
        }
    }

    /** Part 1 against a dispatcher that keeps cancelled timers until they are due. */
    static final class KeepsCancelled extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.KeepsCancelledTimers();
        }
    }

    /** Part 1 against a dispatcher whose close() returns before its threads have ended. */
    static final class CloseAtOnce extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.CloseReturnsAtOnce();
        }
    }

    /** Part 1 against a dispatcher whose close() waits for itself when called on its own thread. */
    static final class CloseWaits extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.CloseWaitsForItself();
        }
    }

    /** Part 1 against a dispatcher whose close() gives up waiting, and drops the flag, when interrupted. */
    static final class CloseDropsInterrupt extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.CloseDropsTheInterrupt();
        }
    }

    /** Part 1 against a dispatcher with a thread that is not a daemon thread. */
    static final class NonDaemon extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.NonDaemonTimerThread();
        }
    }

    /** Part 1 against a dispatcher whose timers overflow on delays beyond 292 years. */
    static final class Overflowing extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.OverflowingDelays();
        }
    }

    /** Part 1 against a dispatcher whose spawn drops a step after close() instead of rejecting it. */
    static final class SpawnDrops extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.SpawnDropsAfterClose();
        }
    }

    /** Part 1 against a dispatcher whose lane runs its own thread's submissions first. */
    static final class LocalFirst extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.LocalFirstLane();
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
        }
    }

    /** Part 1 against a dispatcher with a thread that polls while idle. */
    static final class Polling extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.PollsWhileIdle();
        }
    }

    /** Part 1 against a dispatcher with a blank name. */
    static final class Blank extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.BlankName();
        }
    }

    /**
     * Clauses 1.11a and 1.11b over the self-tests' shared resources (a ForkJoin dispatcher the
     * "application" owns), with dispatchers over them that have {@code fault}; it declares
     * THREAD_AFFINITY (its lanes are the application's ForkJoin lanes), so that 1.11a checks lanes too.
     */
    abstract static class OverShared extends DispatcherVerification {
        private final BrokenDispatchers.OverFault fault;

        OverShared(BrokenDispatchers.OverFault fault) {
            this.fault = fault;
        }

        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.Forwarding();
        }

        @Override
        protected SharedResources createSharedResources() {
            return new BrokenDispatchers.SharedForkJoin(fault);
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.THREAD_AFFINITY);
        }
    }

    /** 1.11 over the reference's shared resources. */
    static final class OverReference extends OverShared {
        OverReference() {
            super(BrokenDispatchers.OverFault.NONE);
        }
    }

    /** 1.11 over shared resources, with a dispatcher that keeps the timers that fired. */
    static final class OverKeepsFired extends OverShared {
        OverKeepsFired() {
            super(BrokenDispatchers.OverFault.KEEPS_FIRED_TIMERS);
        }
    }

    /** 1.11 over shared resources, with a dispatcher whose close() closes the application's. */
    static final class OverClosesThem extends OverShared {
        OverClosesThem() {
            super(BrokenDispatchers.OverFault.CLOSES_THE_APPLICATIONS);
        }
    }

    /** 1.11 over shared resources, with a dispatcher whose close() leaves its timers queued. */
    static final class OverLeavesTimers extends OverShared {
        OverLeavesTimers() {
            super(BrokenDispatchers.OverFault.LEAVES_TIMERS_QUEUED);
        }
    }

    /** 1.11 over shared resources, with a dispatcher whose close() misses a timer that schedule() is handing over. */
    static final class OverMissesTimersBeingSet extends OverShared {
        OverMissesTimersBeingSet() {
            super(BrokenDispatchers.OverFault.MISSES_TIMERS_BEING_SET);
        }
    }

    /** Part 1 against the reference, declaring HOME_LANES only (its lanes are not single threads). */
    static final class HomeLanesReference extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.Forwarding();
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.HOME_LANES);
        }
    }

    /** Part 1 against a dispatcher that claims home lanes but scatters round robin. */
    static final class RoundRobin extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.RoundRobinLanes();
        }

        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES);
        }
    }

    /** Part 1 against a dispatcher whose lane runs its queue to the end before anything else on its thread. */
    static final class DrainsToTheEnd extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.DrainsToTheEnd();
        }
    }

    /** Part 1 against a dispatcher whose lane strands a task given just as it runs out of work. */
    static final class StrandsAHandOff extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.StrandsAHandOff();
        }
    }

    /** Part 1 against a dispatcher that frees a cancelled timer only when it next runs a task. */
    static final class FreesOnNextTask extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.FreesCancelledOnNextTask();
        }
    }

    /** The required clauses of Part 1. */
    private static final int REQUIRED = 25;

    /** The clauses that need capabilities (see {@link Capability}). */
    private static final Set<String> LANES = Set.of(
            "optional_spec105a_aSingleThreadLaneRunsItsTasksOnOneThreadOneAtATime",
            "optional_spec105b_aLaneRunsTasksInSubmissionOrder",
            "optional_spec105c_laneCalledOnALaneThreadStaysOnThatThread",
            "optional_spec105d_spawnRunsTheFirstStepOnceOnALaneThread");

    /** The clauses that need {@code createSharedResources()}. */
    private static final Set<String> SHARED = Set.of(
            "optional_spec111a_overSharedResourcesTheContractHolds",
            "optional_spec111b_closeCancelsItsTimersAndLeavesTheSharedResourcesRunning",
            "optional_spec111c_timersSetWhileCloseRunsNeverRunAndAreReleased");

    /** The clauses that need {@link Capability#HOME_LANES}. */
    private static final Set<String> HOME = Set.of(
            "optional_spec105e_whatOneOrdinaryThreadStartsRunsOnOneThread",
            "optional_spec105f_processesSpawnedBehindALaneThatMakesProgressStayOnIt");

    /** The clauses that need {@link Capability#MIGRATES_UNSTARTED_WORK}. */
    private static final Set<String> MIGRATION = Set.of(
            "optional_spec113a_unstartedWorkLeavesALaneBlockedInJava",
            "optional_spec113b_unstartedWorkLeavesALaneBusyOnTheCpu",
            "optional_spec113c_unstartedWorkLeavesALaneBlockedInNativeIo",
            "optional_spec113d_bulkWorkSpawnedFromOneThreadRunsInParallel",
            "optional_spec113e_workSpawnedRightAfterALaneRanOutOfWorkStillSpreads");

    /** What a dispatcher without capabilities or shared resources skips. */
    private static final Set<String> OPTIONAL = union(union(union(LANES, HOME), SHARED), MIGRATION);

    @Test
    void theReferencePassesEveryRequiredClauseAndSkipsTheOptionalOnes() {
        Outcome o = run(Reference.class);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(union(union(LANES, HOME), MIGRATION), o.skipped(), "skipped clauses");
        assertEquals(REQUIRED + SHARED.size(), o.passed().size(), "passed clauses: " + o.passed());
        assertTrue(o.passed().containsAll(SHARED), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherWhoseSpawnDropsStepsAfterCloseFailsOnlyClause108c() {
        assertFailsExactly(SpawnDrops.class, "required_spec108c_aClosedDispatcherRejectsNewTasks");
    }

    @Test
    void aDispatcherWhoseLaneRunsItsOwnSubmissionsFirstFailsOnlyClause105b() {
        Outcome o = run(LocalFirst.class);
        assertEquals(Set.of("optional_spec105b_aLaneRunsTasksInSubmissionOrder"), o.failed(),
                "failed clauses (causes: " + o.causes + ")");
        assertEquals(union(union(SHARED, HOME), MIGRATION), o.skipped(),
                "skipped clauses: it declares both lane capabilities, not HOME_LANES nor MIGRATES_UNSTARTED_WORK,"
                        + " has no shared resources");
        assertEquals(REQUIRED + LANES.size() - 1, o.passed().size(), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherThatPollsWhileIdleFailsOnlyClause112() {
        assertFailsExactly(Polling.class, "required_spec112_anIdleDispatcherUsesNoCpu");
    }

    @Test
    void aDispatcherWithABlankNameFailsOnlyClause110() {
        assertFailsExactly(Blank.class, "required_spec110_theNameIsNonBlankAndStable");
    }

    // Over shared resources only the two clauses of 1.11 differ from the reference (createDispatcher()
    // is the reference), so only they run.

    @Test
    void overSharedResourcesTheReferencePassesBothClausesOf111() {
        Outcome o = runShared(OverReference.class);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(SHARED, o.passed(), "passed clauses");
    }

    @Test
    void aDispatcherOverSharedResourcesThatKeepsFiredTimersFailsOnlyClause111a() {
        assertSharedFailsExactly(OverKeepsFired.class, "optional_spec111a_overSharedResourcesTheContractHolds");
    }

    @Test
    void aDispatcherOverSharedResourcesThatClosesThemFailsOnlyClauses111bAnd111c() {
        // 1.11c closes a dispatcher over the same resources in each round, and then runs tasks there.
        assertSharedFailsExactly(OverClosesThem.class,
                "optional_spec111b_closeCancelsItsTimersAndLeavesTheSharedResourcesRunning",
                "optional_spec111c_timersSetWhileCloseRunsNeverRunAndAreReleased");
    }

    @Test
    void aDispatcherOverSharedResourcesThatLeavesItsTimersQueuedFailsOnlyClauses111bAnd111c() {
        // 1.11c: the one-hour timers set before close() stay queued too, not only those being set.
        assertSharedFailsExactly(OverLeavesTimers.class,
                "optional_spec111b_closeCancelsItsTimersAndLeavesTheSharedResourcesRunning",
                "optional_spec111c_timersSetWhileCloseRunsNeverRunAndAreReleased");
    }

    @Test
    void aDispatcherOverSharedResourcesWhoseCloseMissesATimerBeingSetFailsOnlyClause111c() {
        assertSharedFailsExactly(OverMissesTimersBeingSet.class,
                "optional_spec111c_timersSetWhileCloseRunsNeverRunAndAreReleased");
    }

    private static void assertSharedFailsExactly(Class<?> verification, String... clauses) {
        Outcome o = runShared(verification);
        assertEquals(Set.of(clauses), o.failed(), "failed clauses (causes: " + o.causes + ")");
        Set<String> others = new TreeSet<>(SHARED);
        others.removeAll(Set.of(clauses));
        assertEquals(others, o.passed(), "passed clauses");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    @Test
    void aDispatcherThatRunsTasksInlineFailsOnlyClauses101And106h() {
        // 1.6h: its chains of tasks, each submitting the next, run on each other's stacks.
        assertFailsExactly(Inline.class, "required_spec101_executeNeverRunsTheTaskOnTheCallersStack",
                "required_spec106h_aTimerFiresWhileItsLaneIsNeverOutOfWork");
    }

    @Test
    void aDispatcherWhoseLaneStrandsATaskGivenAsItRunsDryFailsClause102b() {
        // Its fault is a race: 1.2b provokes it on purpose, 40,000 times, and always catches it. Any
        // other clause that happens to hand a task over just as the lane runs dry may catch it too
        // (1.4b did, in one build of six), so the others may fail, but every required clause runs.
        Outcome o = run(StrandsAHandOff.class);
        assertTrue(o.failed().contains("required_spec102b_aTaskGivenAsTheLaneRunsOutOfWorkStillRuns"),
                "failed clauses (causes: " + o.causes + ")");
        assertEquals(OPTIONAL, o.skipped(), "skipped clauses");
        assertEquals(REQUIRED, o.passed().size() + o.failed().size(), "passed: " + o.passed() + ", failed: " + o.failed());
    }

    @Test
    void aDispatcherThatDropsOneTaskInTenThousandFailsOnlyClauses102And102b() {
        // 1.2b hands 40,000 tasks over one at a time: the dropped one is a hand-off that never comes.
        assertFailsExactly(Dropping.class, "required_spec102_everyTaskRunsExactlyOnce",
                "required_spec102b_aTaskGivenAsTheLaneRunsOutOfWorkStillRuns");
    }

    @Test
    void aDispatcherWhoseTimersFireEarlyFailsOnlyClause106a() {
        assertFailsExactly(Early.class, "required_spec106a_aTimerNeverFiresEarly");
    }

    @Test
    void aDispatcherThatRunsOneLaneOnTwoThreadsFailsOnlyTheLaneClauses() {
        Outcome o = run(TwoThreads.class);
        assertEquals(LANES, o.failed(), "failed clauses (causes: " + o.causes + ")");
        assertEquals(union(union(SHARED, HOME), MIGRATION), o.skipped(),
                "skipped clauses: it declares both lane capabilities, not HOME_LANES nor MIGRATES_UNSTARTED_WORK,"
                        + " has no shared resources");
        assertEquals(REQUIRED, o.passed().size(), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherThatSwallowsFailuresFailsOnlyClause104b() {
        assertFailsExactly(Swallowing.class, "required_spec104b_aThrowingTaskIsReportedToItsThreadsHandler");
    }

    @Test
    void aDispatcherThatKeepsCancelledTimersFailsOnlyClauses106fAnd114a() {
        // Until due, a cancelled timer stays: whether the dispatcher runs tasks meanwhile or not.
        assertFailsExactly(KeepsCancelled.class, "required_spec106f_aCancelledTimerReleasesItsTask",
                "required_spec114a_aCancelledTimerIsReleasedWithoutFurtherTasks");
    }

    @Test
    void aDispatcherWhoseCloseReturnsAtOnceFailsOnlyClauses108bAnd108e() {
        // 1.8e: returning at once on an interrupted thread leaves the tasks running just the same.
        assertFailsExactly(CloseAtOnce.class, "required_spec108b_closeEndsTheDispatchersThreads",
                "required_spec108e_closeOnAnInterruptedThreadStillClosesAndKeepsTheFlag");
    }

    @Test
    void aDispatcherWhoseCloseWaitsForItselfFailsOnlyClause108d() {
        assertFailsExactly(CloseWaits.class, "required_spec108d_closeOnADispatcherThreadReturnsAndStillEndsTheThreads");
    }

    @Test
    void aDispatcherWhoseCloseGivesUpWhenInterruptedFailsOnlyClause108e() {
        assertFailsExactly(CloseDropsInterrupt.class,
                "required_spec108e_closeOnAnInterruptedThreadStillClosesAndKeepsTheFlag");
    }

    @Test
    void aDispatcherWithANonDaemonThreadFailsOnlyClause109() {
        assertFailsExactly(NonDaemon.class, "required_spec109_theDispatchersThreadsAreDaemonThreads");
    }

    @Test
    void aDispatcherWhoseDelaysOverflowFailsOnlyClause106g() {
        assertFailsExactly(Overflowing.class, "required_spec106g_delaysBeyondLongNanosecondsWork");
    }

    @Test
    void theReferenceKeepsWhatOneThreadStartsOnOneThread() {
        Outcome o = run(HomeLanesReference.class);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(union(union(LANES, SHARED), MIGRATION), o.skipped(), "skipped clauses");
        assertEquals(REQUIRED + HOME.size(), o.passed().size(), "passed clauses: " + o.passed());
        assertTrue(o.passed().containsAll(HOME), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherThatScattersWhatOneThreadStartsFailsOnlyClauses105eAnd105f() {
        Outcome o = run(RoundRobin.class);
        assertEquals(HOME, o.failed(), "failed clauses (causes: " + o.causes + ")");
        assertEquals(union(SHARED, MIGRATION), o.skipped(),
                "skipped clauses: it declares every capability but MIGRATES_UNSTARTED_WORK, has no shared resources");
        assertEquals(REQUIRED + LANES.size(), o.passed().size(), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherWhoseLaneRunsItsQueueToTheEndFailsOnlyClause106h() {
        assertFailsExactly(DrainsToTheEnd.class, "required_spec106h_aTimerFiresWhileItsLaneIsNeverOutOfWork");
    }

    @Test
    void aDispatcherThatFreesCancelledTimersOnlyOnItsNextTaskFailsOnlyClause114a() {
        assertFailsExactly(FreesOnNextTask.class, "required_spec114a_aCancelledTimerIsReleasedWithoutFurtherTasks");
    }

    // ------------------------------------------------------ 1.5e-f home lanes with processes that move
    // Only the two clauses of HOME_LANES run, against the dispatchers of 1.13 below (which declare
    // HOME_LANES too): the MovingLanes poll every millisecond (they would fail 1.12) and are not
    // meant for the rest of Part 1.

    @Test
    void theReferenceWithItsOwnSpawnKeepsWhatOneThreadStartsOnItsThread() {
        Outcome o = runOnly(MigrationReference.class, HOME);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(HOME, o.passed(), "passed clauses");
    }

    @Test
    void aDispatcherThatMovesWhateverWaitedFourMillisecondsFailsOnlyClause105f() {
        Outcome o = runOnly(MovesEagerly.class, HOME);
        assertEquals(Set.of("optional_spec105f_processesSpawnedBehindALaneThatMakesProgressStayOnIt"), o.failed(),
                "failed clauses (causes: " + o.causes + ")");
        assertEquals(Set.of("optional_spec105e_whatOneOrdinaryThreadStartsRunsOnOneThread"), o.passed(),
                "passed clauses");
    }

    private static void assertFailsExactly(Class<?> verification, String... clauses) {
        Outcome o = run(verification);
        assertEquals(Set.of(clauses), o.failed(), "failed clauses (causes: " + o.causes + ")");
        assertEquals(OPTIONAL, o.skipped(), "skipped clauses");
        assertEquals(REQUIRED - clauses.length, o.passed().size(), "passed clauses: " + o.passed());
    }

    /** What happened to each test method of one run. */
    private record Outcome(Map<String, TestExecutionResult.Status> byMethod, Map<String, String> causes) {
        Set<String> with(TestExecutionResult.Status s) {
            Set<String> r = new TreeSet<>();
            byMethod.forEach((m, st) -> {
                if (st == s) {
                    r.add(m);
                }
            });
            return r;
        }

        Set<String> failed() {
            return with(TestExecutionResult.Status.FAILED);
        }

        Set<String> skipped() {
            return with(TestExecutionResult.Status.ABORTED);
        }

        Set<String> passed() {
            return with(TestExecutionResult.Status.SUCCESSFUL);
        }
    }

    private static Outcome run(Class<?> verification) {
        return run(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(verification)).build());
    }

    /** Runs only the clauses of 1.11 of {@code verification}. */
    private static Outcome runShared(Class<?> verification) {
        return runOnly(verification, SHARED);
    }

    private static Outcome run(LauncherDiscoveryRequest request) {
        Map<String, TestExecutionResult.Status> byMethod = new TreeMap<>();
        Map<String, String> causes = new TreeMap<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().orElse(null) instanceof MethodSource m) {
                    byMethod.put(m.getMethodName(), result.getStatus());
                    result.getThrowable().ifPresent(t -> causes.put(m.getMethodName(), String.valueOf(t)));
                } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    causes.put(id.getDisplayName(), String.valueOf(result.getThrowable().orElse(null)));
                    byMethod.put("<container " + id.getDisplayName() + ">", result.getStatus());
                }
            }
        });
        return new Outcome(byMethod, causes);
    }

    // ------------------------------------------------------ 1.13 work migration (MIGRATES_UNSTARTED_WORK)
    // Only the four clauses of 1.13 run (the dispatchers below differ from the reference only there);
    // each failing clause waits its patience (a quarter of the TCK's) once, so these take about 5 s
    // per failing clause.

    /**
     * The clauses of 1.13 (and of 1.5e-f, above) against a dispatcher that declares
     * MIGRATES_UNSTARTED_WORK (and HOME_LANES).
     */
    abstract static class Migrating extends DispatcherVerification {
        @Override
        protected Set<Capability> capabilities() {
            return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES,
                    Capability.MIGRATES_UNSTARTED_WORK);
        }
    }

    /** 1.13 against the reference with its own spawn (ForkJoin's stealing of unstarted processes). */
    static final class MigrationReference extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.ForwardingSpawn();
        }
    }

    /** 1.13 against a dispatcher that never moves a process (the SPI's default spawn on lane()). */
    static final class NeverMoves extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.Forwarding();
        }
    }

    /** 1.13 against a dispatcher that leaves a process waiting alone on its lane where it is. */
    static final class LoneStays extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.MovingLanes(BrokenDispatchers.MovePolicy.LONE_PROCESS_STAYS);
        }
    }

    /** 1.13 against a dispatcher that moves work only from a lane blocked in Java. */
    static final class OnlyFromBlockedInJava extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.MovingLanes(BrokenDispatchers.MovePolicy.ONLY_FROM_A_LANE_BLOCKED_IN_JAVA);
        }
    }

    /** 1.5f against a dispatcher that moves whatever waited 4 ms, whatever its lane does. */
    static final class MovesEagerly extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.MovingLanes(BrokenDispatchers.MovePolicy.EAGER);
        }
    }

    /** 1.13 against a dispatcher that leaves processes spawned onto a lane just out of work to that lane. */
    static final class JustOutOfWorkStays extends Migrating {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.MovingLanes(BrokenDispatchers.MovePolicy.NOT_FROM_A_LANE_JUST_OUT_OF_WORK);
        }
    }

    @Test
    void theReferenceMovesUnstartedWorkAndPassesEveryClauseOf113() {
        Outcome o = runMigration(MigrationReference.class);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(MIGRATION, o.passed(), "passed clauses");
    }

    @Test
    void aDispatcherThatNeverMovesUnstartedWorkFailsEveryClauseOf113() {
        assertMigrationFailsExactly(NeverMoves.class, MIGRATION);
    }

    @Test
    void aDispatcherThatLeavesALoneProcessInPlaceFails113aTo113cAnd113e() {
        // 1.13e: of two processes spawned together, the second waits alone behind the first.
        assertMigrationFailsExactly(LoneStays.class, Set.of(
                "optional_spec113a_unstartedWorkLeavesALaneBlockedInJava",
                "optional_spec113b_unstartedWorkLeavesALaneBusyOnTheCpu",
                "optional_spec113c_unstartedWorkLeavesALaneBlockedInNativeIo",
                "optional_spec113e_workSpawnedRightAfterALaneRanOutOfWorkStillSpreads"));
    }

    @Test
    void aDispatcherThatMovesWorkOnlyFromALaneBlockedInJavaFails113bTo113e() {
        assertMigrationFailsExactly(OnlyFromBlockedInJava.class, Set.of(
                "optional_spec113b_unstartedWorkLeavesALaneBusyOnTheCpu",
                "optional_spec113c_unstartedWorkLeavesALaneBlockedInNativeIo",
                "optional_spec113d_bulkWorkSpawnedFromOneThreadRunsInParallel",
                "optional_spec113e_workSpawnedRightAfterALaneRanOutOfWorkStillSpreads"));
    }

    @Test
    void aDispatcherThatLeavesWorkToALaneJustOutOfWorkFailsOnly113e() {
        // Without 1.13d: in two of three runs of all five clauses on the loaded 2-core machine this
        // model also failed 1.13d (a round's processes never overlapped within 5 s) although it
        // passed 1.13d alone four times and never pins a process there; not understood yet, so not
        // asserted (ADR 0029).
        Set<String> run = new TreeSet<>(MIGRATION);
        run.remove("optional_spec113d_bulkWorkSpawnedFromOneThreadRunsInParallel");
        assertMigrationFailsExactly(JustOutOfWorkStays.class, run,
                Set.of("optional_spec113e_workSpawnedRightAfterALaneRanOutOfWorkStillSpreads"));
    }

    private static void assertMigrationFailsExactly(Class<?> verification, Set<String> clauses) {
        assertMigrationFailsExactly(verification, MIGRATION, clauses);
    }

    private static void assertMigrationFailsExactly(Class<?> verification, Set<String> run, Set<String> clauses) {
        Outcome o = runOnly(verification, run);
        assertEquals(new TreeSet<>(clauses), o.failed(), "failed clauses (causes: " + o.causes + ")");
        Set<String> others = new TreeSet<>(run);
        others.removeAll(clauses);
        assertEquals(others, o.passed(), "passed clauses");
    }

    /** Runs only the clauses of 1.13 of {@code verification}. */
    private static Outcome runMigration(Class<?> verification) {
        return runOnly(verification, MIGRATION);
    }

    /** Runs only the clauses {@code run} of {@code verification}. */
    private static Outcome runOnly(Class<?> verification, Set<String> run) {
        List<DiscoverySelector> methods = new ArrayList<>();
        for (String m : new TreeSet<>(run)) {
            methods.add(selectMethod(verification, m));
        }
        return run(LauncherDiscoveryRequestBuilder.request().selectors(methods).build());
    }
}
