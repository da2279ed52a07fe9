/**
 * The csp4j scheduler SPI: {@link io.csp4j.spi.Dispatcher}, {@link io.csp4j.spi.DispatcherProvider},
 * {@link io.csp4j.spi.Cancellable} and the provider lookup {@link io.csp4j.spi.Dispatchers}.
 *
 * <p>The engine depends on nothing else to run its processes; a backend (ForkJoin, Vert.x, Netty or
 * your own) implements these types and declares its provider with {@code provides} and in
 * {@code META-INF/services/io.csp4j.spi.DispatcherProvider}.
 */
module io.csp4j.spi {
    exports io.csp4j.spi;

    uses io.csp4j.spi.DispatcherProvider;
}
