/**
 * The embedded default scheduler of csp4j: a {@link java.util.concurrent.ForkJoinPool} in async mode
 * plus one timer thread. See {@link io.csp4j.forkjoin.ForkJoinDispatcher}.
 */
module io.csp4j.forkjoin {
    requires transitive io.csp4j.spi;

    exports io.csp4j.forkjoin;

    provides io.csp4j.spi.DispatcherProvider with io.csp4j.forkjoin.ForkJoinDispatcherProvider;
}
