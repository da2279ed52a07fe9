package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class PrimeSieveTest {

    /** The first {@code n} primes, by trial division. */
    private static List<String> primes(int n) {
        List<String> primes = new ArrayList<>();
        for (int k = 2; primes.size() < n; k++) {
            boolean prime = true;
            for (int d = 2; d * d <= k && prime; d++) {
                prime = k % d != 0;
            }
            if (prime) {
                primes.add(String.valueOf(k));
            }
        }
        return primes;
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theFirstTenByDefault(ProcessMode mode) {
        assertEquals(List.of("2", "3", "5", "7", "11", "13", "17", "19", "23", "29"), Output.of(mode, PrimeSieve::run).lines());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void smallCountsAndEveryProcessEnds(ProcessMode mode) {
        for (int n : new int[] {0, 1, 2, 100}) {
            assertEquals(primes(n), Output.of(mode, out -> PrimeSieve.run(out, n)).lines());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void twoThousandPrimesTwoThousandProcesses(ProcessMode mode) {
        List<String> lines = Output.of(mode, out -> PrimeSieve.run(out, 2000)).lines();
        assertEquals(primes(2000), lines);
        assertEquals("17389", lines.getLast());
    }
}
