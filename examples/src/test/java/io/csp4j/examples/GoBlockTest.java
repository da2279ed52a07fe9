package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class GoBlockTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theBlocksValueArrivesOnItsChannel(ProcessMode mode) {
        assertEquals(List.of(
                "I'm done",
                "1",
                "I'm done",
                "2",
                "then the channel is closed: null",
                "Done"), Output.of(mode, GoBlock::run).lines());
    }
}
