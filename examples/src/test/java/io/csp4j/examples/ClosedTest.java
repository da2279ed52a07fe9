package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class ClosedTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aMillionTakesFromAClosedChannelGiveNull(ProcessMode mode) {
        assertEquals(List.of(
                "null",
                "Did not blow the stack: 1000000 takes from a closed channel"), Output.of(mode, Closed::run).lines());
    }
}
