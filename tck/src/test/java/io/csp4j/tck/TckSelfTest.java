package io.csp4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.csp4j.spi.Dispatcher;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
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

    /** Part 1 against the reference. */
    static final class Reference extends DispatcherVerification {
        @Override
        protected Dispatcher createDispatcher() {
            return new BrokenDispatchers.Forwarding();
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

    private static final Set<String> OPTIONAL = Set.of(
            "optional_spec105a_aSingleThreadLaneRunsItsTasksOnOneThreadOneAtATime",
            "optional_spec105b_aLaneRunsTasksInSubmissionOrder",
            "optional_spec105c_laneCalledOnALaneThreadStaysOnThatThread",
            "optional_spec105d_spawnRunsTheFirstStepOnceOnALaneThread");

    @Test
    void theReferencePassesEveryRequiredClauseAndSkipsTheOptionalOnes() {
        Outcome o = run(Reference.class);
        assertEquals(Set.of(), o.failed(), "failed clauses (with causes: " + o.causes + ")");
        assertEquals(OPTIONAL, o.skipped(), "skipped clauses");
        assertEquals(14, o.passed().size(), "passed clauses: " + o.passed());
    }

    @Test
    void aDispatcherThatRunsTasksInlineFailsOnlyClause101() {
        assertFailsExactly(Inline.class, "required_spec101_executeNeverRunsTheTaskOnTheCallersStack");
    }

    @Test
    void aDispatcherThatDropsOneTaskInTenThousandFailsOnlyClause102() {
        assertFailsExactly(Dropping.class, "required_spec102_everyTaskRunsExactlyOnce");
    }

    @Test
    void aDispatcherWhoseTimersFireEarlyFailsOnlyClause106a() {
        assertFailsExactly(Early.class, "required_spec106a_aTimerNeverFiresEarly");
    }

    @Test
    void aDispatcherThatRunsOneLaneOnTwoThreadsFailsOnlyTheLaneClauses() {
        Outcome o = run(TwoThreads.class);
        assertEquals(OPTIONAL, o.failed(), "failed clauses (causes: " + o.causes + ")");
        assertEquals(Set.of(), o.skipped(), "skipped clauses: it declares both capabilities");
        assertEquals(14, o.passed().size(), "passed clauses: " + o.passed());
    }

    private static void assertFailsExactly(Class<?> verification, String clause) {
        Outcome o = run(verification);
        assertEquals(Set.of(clause), o.failed(), "failed clauses (causes: " + o.causes + ")");
        assertEquals(OPTIONAL, o.skipped(), "skipped clauses");
        assertEquals(13, o.passed().size(), "passed clauses: " + o.passed());
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
        Map<String, TestExecutionResult.Status> byMethod = new TreeMap<>();
        Map<String, String> causes = new TreeMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(verification))
                .build();
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
}
