package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class TimeoutUsingSelectTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void joeTalksUntilOneMessageTakesLongerThan800Ms(ProcessMode mode) {
        Output.Run run = Output.of(mode, TimeoutUsingSelect::run);
        assertEquals("You're too slow.", run.last());
        // Joe's first message comes at once; every message is 0 to 999 ms apart.
        assertTrue(Output.assertCounting(run.allButLast(), " ", "Joe").getFirst() >= 1, run.lines()::toString);
        assertTrue(run.millis() >= 800, () -> run.millis() + " ms");
    }
}
