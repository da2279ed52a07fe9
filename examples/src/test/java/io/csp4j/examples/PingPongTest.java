package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class PingPongTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pingServesThenTheyAlternateForASecondAndBothSeeTheBallGone(ProcessMode mode) {
        Output.Run run = Output.of(mode, PingPong::run);
        List<String> lines = run.lines();
        List<String> hits = lines.subList(0, lines.size() - 2);
        // A hit every 100 ms for 1 s: 10, give or take scheduling on a busy machine.
        assertTrue(hits.size() >= 6 && hits.size() <= 12, () -> "hits: " + lines);
        for (int i = 0; i < hits.size(); i++) {
            assertEquals((i % 2 == 0 ? "ping " : "pong ") + (i + 1), hits.get(i), lines::toString);
        }
        assertEquals(Set.of("ping Ball's gone", "pong Ball's gone"), Set.copyOf(lines.subList(lines.size() - 2, lines.size())));
        assertTrue(run.millis() >= 1000 && run.millis() < 5000, () -> run.millis() + " ms");
    }
}
