package io.csp4j.netty;

/** The scale of stress loops: {@code -Dcsp4j.stress=long} multiplies iteration counts by 10. */
final class Stress {

    private Stress() {}

    static int scale(int n) {
        return "long".equals(System.getProperty("csp4j.stress")) ? n * 10 : n;
    }
}
