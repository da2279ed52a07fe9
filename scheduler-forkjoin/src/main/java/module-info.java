/**
 * The embedded default scheduler of csp4j: one loop thread per processor (the lanes), which spin
 * briefly when idle and share the processes that have not started yet, plus one timer thread. See
 * {@link io.csp4j.forkjoin.ForkJoinDispatcher}.
 */
module io.csp4j.forkjoin {
    requires transitive io.csp4j.spi;
    requires java.management; // the lanes' per-thread CPU clock (stealing only from lanes really running)

    exports io.csp4j.forkjoin;

    provides io.csp4j.spi.DispatcherProvider with io.csp4j.forkjoin.ForkJoinDispatcherProvider;
}
