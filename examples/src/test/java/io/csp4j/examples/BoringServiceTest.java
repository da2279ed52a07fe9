package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class BoringServiceTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void joeAndAnnInLockStep(ProcessMode mode) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("Joe " + i);
            expected.add("Ann " + i);
        }
        expected.add("You're both boring; I'm leaving.");
        assertEquals(expected, Output.of(mode, BoringService::run).lines());
    }
}
