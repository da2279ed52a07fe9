package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class BlockingTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theUnbufferedPutWaitsUntilSomeoneTakes(ProcessMode mode) {
        Output.Run run = Output.of(mode, Blocking::run);
        assertEquals(List.of(
                "will block",
                "still parked after 500 ms: an unbuffered put waits for a taker",
                "put done",
                "main took \"channel\""), run.lines());
        assertTrue(run.millis() >= 500, () -> run.millis() + " ms");
    }
}
