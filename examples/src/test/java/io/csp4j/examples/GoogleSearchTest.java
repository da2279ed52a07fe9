package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Google Search 1.0 to 3.0: the results each version may give, and the time it may take. */
@Timeout(60)
class GoogleSearchTest {

    private static final Pattern RESULT = Pattern.compile("(web|image|video)([12]?) result for \"golang\"");
    private static final int ROUNDS = 10;

    /** Asserts the last line is "N ms" and returns N. */
    private static long elapsed(Output.Run run) {
        Matcher m = Pattern.compile("(\\d+) ms").matcher(run.last());
        assertTrue(m.matches(), run.lines()::toString);
        return Long.parseLong(m.group(1));
    }

    /** Asserts each result is of a different kind, replicated ({@code web1}) or not; returns the kinds. */
    private static Set<String> kinds(List<String> results, boolean replicated) {
        Set<String> kinds = new HashSet<>();
        for (String r : results) {
            Matcher m = RESULT.matcher(r);
            assertTrue(m.matches(), () -> "unexpected line '" + r + "' in " + results);
            assertEquals(replicated, !m.group(2).isEmpty(), r);
            assertTrue(kinds.add(m.group(1)), () -> "twice: " + r + " in " + results);
        }
        return kinds;
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void version10AsksOneAfterTheOther(ProcessMode mode) {
        for (int i = 0; i < ROUNDS; i++) {
            Output.Run run = Output.of(mode, Google10::run);
            assertEquals(List.of("web result for \"golang\"", "image result for \"golang\"", "video result for \"golang\""),
                    run.allButLast());
            assertTrue(elapsed(run) < 300 + 1000, run.lines()::toString); // three searches of < 100 ms
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void version20AsksAllThreeAtOnce(ProcessMode mode) {
        for (int i = 0; i < ROUNDS; i++) {
            Output.Run run = Output.of(mode, Google20::run);
            assertEquals(3, run.allButLast().size(), run.lines()::toString);
            assertEquals(Set.of("web", "image", "video"), kinds(run.allButLast(), false));
            assertTrue(elapsed(run) < 100 + 1000, run.lines()::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void version21GivesUpAfter80Ms(ProcessMode mode) {
        for (int i = 0; i < ROUNDS; i++) {
            assertWithinBudget(Output.of(mode, Google21::run), false);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void version30TakesTheFirstReplicaWithin80Ms(ProcessMode mode) {
        for (int i = 0; i < ROUNDS; i++) {
            assertWithinBudget(Output.of(mode, Google30::run), true);
        }
    }

    private static void assertWithinBudget(Output.Run run, boolean replicated) {
        List<String> results = run.allButLast();
        boolean timedOut = !results.isEmpty() && results.getLast().equals("timed out");
        List<String> found = timedOut ? results.subList(0, results.size() - 1) : results;
        kinds(found, replicated);
        assertEquals(timedOut ? found.size() < 3 : found.size() == 3, true, run.lines()::toString);
        long ms = elapsed(run);
        assertTrue(ms < 80 + 1000, run.lines()::toString);
        if (timedOut) {
            assertTrue(ms >= 79, run.lines()::toString);
        }
    }
}
