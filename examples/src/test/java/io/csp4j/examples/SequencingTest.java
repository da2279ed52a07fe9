package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class SequencingTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void eachRoundHasOneJoeAndOneAnn(ProcessMode mode) {
        Output.Run run = Output.of(mode, Sequencing::run);
        assertEquals(11, run.lines().size(), run.lines()::toString);
        for (int i = 0; i < 5; i++) {
            assertEquals(Set.of("Joe: " + i, "Ann: " + i), Set.of(run.lines().get(2 * i), run.lines().get(2 * i + 1)),
                    run.lines()::toString);
        }
        assertEquals("You're both boring; I'm leaving.", run.last());
    }
}
