package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class FanInSelectTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void tenMessagesMergedEachSpeakerInOrder(ProcessMode mode) {
        Output.Run run = Output.of(mode, FanInSelect::run);
        assertEquals(11, run.lines().size(), run.lines()::toString);
        Output.assertCounting(run.allButLast(), " ", "Joe", "Ann");
        assertEquals("You're both boring; I'm leaving.", run.last());
    }
}
