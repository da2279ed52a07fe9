package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class QuitReplyTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void joeRepliesOnTheQuitChannel(ProcessMode mode) {
        for (int round = 0; round < 20; round++) {
            Output.Run run = Output.of(mode, QuitReply::run);
            assertEquals("Joe says: \"See you!\"", run.last());
            int messages = Output.assertCounting(run.allButLast(), " ", "Joe").getFirst();
            assertTrue(messages >= 1 && messages <= 10, run.lines()::toString);
        }
    }
}
