/**
 * The csp4j TCK: the numbered specification {@code tck/SPEC.md} as abstract JUnit verification
 * classes that every scheduler backend extends once ({@link io.csp4j.tck.EngineVerification} for the
 * whole TCK, {@link io.csp4j.tck.DispatcherVerification} for the Dispatcher contract alone).
 *
 * <p>The package is opened to JUnit so that it can run the inherited clauses on the module path too.
 */
module io.csp4j.tck {
    requires transitive io.csp4j.engine;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires jdk.jfr;
    requires java.management;

    exports io.csp4j.tck;

    opens io.csp4j.tck to org.junit.platform.commons;
}
