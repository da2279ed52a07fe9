package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class QuitTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void joeStopsWhenToldAndClosesHisChannel(ProcessMode mode) {
        for (int round = 0; round < 20; round++) {
            Output.Run run = Output.of(mode, Quit::run);
            assertEquals("Joe has quit.", run.last());
            int messages = Output.assertCounting(run.allButLast(), " ", "Joe").getFirst();
            assertTrue(messages >= 1 && messages <= 10, run.lines()::toString);
        }
    }
}
