package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class BoringTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void fiveMessagesFromTheGeneratorInOrder(ProcessMode mode) {
        assertEquals(List.of(
                "You say: \"boring! 0\"",
                "You say: \"boring! 1\"",
                "You say: \"boring! 2\"",
                "You say: \"boring! 3\"",
                "You say: \"boring! 4\"",
                "You're boring; I'm leaving."), Output.of(mode, Boring::run).lines());
    }
}
