package io.csp4j.tck;

/**
 * The scale of the TCK's stress clauses: short by default (CI; the whole TCK against one backend
 * takes well under a minute), long with the system property {@code -Dcsp4j.stress=long}.
 *
 * <p>Thread-safe; reads the property on each call.
 */
public final class Scale {

    /** The system property that selects the scale: {@code short} (default) or {@code long}. */
    public static final String PROPERTY = "csp4j.stress";

    private Scale() {}

    /** Whether {@code -Dcsp4j.stress=long} is set. */
    public static boolean isLong() {
        return "long".equalsIgnoreCase(System.getProperty(PROPERTY, "short").strip());
    }

    /**
     * Picks a count by scale.
     *
     * {@snippet :
     * int rounds = Scale.of(10_000, 1_000_000);
     * }
     *
     * @param shortCount the count in short mode (the default)
     * @param longCount the count with {@code -Dcsp4j.stress=long}
     * @return one of the two
     */
    public static int of(int shortCount, int longCount) {
        return isLong() ? longCount : shortCount;
    }
}
