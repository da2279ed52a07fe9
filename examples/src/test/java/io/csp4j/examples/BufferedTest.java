package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class BufferedTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void twoPutsFitTheBufferAThirdDoesNot(ProcessMode mode) {
        assertEquals(List.of(
                "buffered",
                "channel",
                "a third offer on a full buffer: false"), Output.of(mode, Buffered::run).lines());
    }
}
