package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Google Search 3.0 with scopes: one line per kind in order (a replica's result or "timed out"), within 80 ms. */
@Timeout(60)
class Google30ScopeTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void eachKindGivesTheFirstReplicaOrTimesOutAt80Ms(ProcessMode mode) {
        int results = 0;
        for (int i = 0; i < 10; i++) {
            Output.Run run = Output.of(mode, Google30Scope::run);
            List<String> lines = run.allButLast();
            assertEquals(3, lines.size(), run.lines()::toString);
            String[] kinds = {"web", "image", "video"};
            boolean timedOut = false;
            for (int k = 0; k < 3; k++) {
                String line = lines.get(k);
                if (line.equals("timed out")) {
                    timedOut = true;
                } else {
                    assertTrue(line.matches(kinds[k] + "[12] result for \"golang\""), run.lines()::toString);
                    results++;
                }
            }
            Matcher m = Pattern.compile("(\\d+) ms").matcher(run.last());
            assertTrue(m.matches(), run.lines()::toString);
            long ms = Long.parseLong(m.group(1));
            assertTrue(ms < 80 + 1000, run.lines()::toString);
            if (timedOut) {
                assertTrue(ms >= 79, run.lines()::toString);
            }
        }
        assertTrue(results > 15, "two replicas of < 100 ms nearly always answer within 80 ms: " + results + " of 30");
    }
}
