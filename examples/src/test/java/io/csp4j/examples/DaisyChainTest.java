package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class DaisyChainTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aHundredThousandProcessesEachAddOne(ProcessMode mode) {
        assertEquals(List.of("100001"), Output.of(mode, DaisyChain::run).lines());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void shorterChainsToo(ProcessMode mode) {
        for (int n : new int[] {0, 1, 2, 1000}) {
            assertEquals(List.of(String.valueOf(n + 1)), Output.of(mode, out -> DaisyChain.run(out, n)).lines());
        }
    }
}
