package io.csp4j.spi;

/**
 * A factory of {@link Dispatcher}s, found through {@link java.util.ServiceLoader}.
 *
 * <p>A backend declares its provider both in its {@code module-info.java}
 * ({@code provides io.csp4j.spi.DispatcherProvider with ...}) and in
 * {@code META-INF/services/io.csp4j.spi.DispatcherProvider}, so that it is found on the module path
 * and on the class path alike. Implementations need a public no-argument constructor and must be
 * cheap to construct: the lookup instantiates every provider it finds.
 *
 * @see Dispatchers#findProvider()
 */
public interface DispatcherProvider {

    /**
     * The short name that {@code -Dcsp4j.dispatcher=NAME} selects, such as {@code "forkjoin"},
     * {@code "vertx"} or {@code "netty"}. Lower case, no spaces.
     */
    String name();

    /**
     * The rank of this provider when no name is set: the highest wins. The embedded ForkJoin default
     * is {@code 0}, Netty {@code 10}, Vert.x {@code 20}, so that adding a backend's jar to the class
     * path is enough to swap the scheduler.
     */
    int priority();

    /**
     * Creates a new dispatcher, owned by the caller, who must {@link Dispatcher#close() close} it.
     *
     * @return a new, running dispatcher
     */
    Dispatcher create();
}
