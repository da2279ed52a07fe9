package io.csp4j.benchmarks;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.timeout;

import io.csp4j.AltResult;
import io.csp4j.Chan;

/**
 * How a benchmark thread waits for a scenario's result channel: a blocking take bounded by
 * {@value #SECONDS} s, so a process that dies (its exception goes to the engine's handler, which
 * logs it) fails the benchmark instead of hanging the whole JMH run. Thread-safe; call it from an
 * ordinary thread, never from a dispatcher thread.
 *
 * {@snippet :
 * long sum = Await.take(go(() -> 6L * 7)); // 42
 * }
 */
public final class Await {

    /** The bound on one wait. */
    public static final int SECONDS = 60;

    private Await() {
    }

    /**
     * Takes from {@code result}, blocking at most {@value #SECONDS} s.
     *
     * @return the value, or {@code null} if {@code result} closed without one (a void go block ended)
     * @throws IllegalStateException if nothing came within the bound
     */
    public static <T> T take(Chan<T> result) {
        AltResult r = alts(result, timeout(SECONDS * 1000L));
        if (r.channel() != result) {
            throw new IllegalStateException("the scenario did not finish within " + SECONDS
                    + " s: a process probably died (see the csp4j error logged above)");
        }
        @SuppressWarnings("unchecked")
        T value = (T) r.value();
        return value;
    }
}
