package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The prime sieve in a scope: the same primes as the channel version, and run returns (every stage ended). */
@Timeout(120)
class PrimeSieveScopeTest {

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
    void theFirstNPrimesThenEveryStageIsCancelled(ProcessMode mode) {
        assertEquals(primes(10), Output.of(mode, PrimeSieveScope::run).lines());
        for (int n : new int[] {0, 1, 2, 500}) {
            assertEquals(primes(n), Output.of(mode, out -> PrimeSieveScope.run(out, n)).lines());
        }
    }
}
