package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class SelectTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyProducersValueOnceThenTheTimeout(ProcessMode mode) {
        for (int round = 0; round < 5; round++) {
            Output.Run run = Output.of(mode, Select::run);
            assertEquals("time out", run.last());
            assertEquals(IntStream.range(0, 20).boxed().toList(),
                    run.allButLast().stream().map(Integer::valueOf).sorted().toList(), run.lines()::toString);
        }
    }
}
