/**
 * csp4j's engine: channels, buffers, processes, {@code alts}, timers, combinators and interop. The
 * public API is the package {@code io.csp4j} (start with {@link io.csp4j.Csp}); {@code io.csp4j.internal}
 * is not exported.
 */
module io.csp4j.engine {
    requires transitive io.csp4j.spi;
    requires jdk.jfr;
    requires java.management;

    exports io.csp4j;

    uses io.csp4j.spi.DispatcherProvider;
}
