package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class TimeoutForWholeConversationTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void oneTimeoutEndsTheConversation(ProcessMode mode) {
        Output.Run run = Output.of(mode, out -> TimeoutForWholeConversation.run(out, 1500));
        assertEquals("You talk too much.", run.last());
        int messages = Output.assertCounting(run.allButLast(), " ", "Joe").getFirst();
        // At least the first (sent at once); at most one every millisecond or so.
        assertTrue(messages >= 1 && messages <= 1500, run.lines()::toString);
        assertTrue(run.millis() >= 1500 && run.millis() < 4000, () -> run.millis() + " ms");
    }
}
