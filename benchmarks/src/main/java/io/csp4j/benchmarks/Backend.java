package io.csp4j.benchmarks;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.netty.NettyDispatcher;
import io.csp4j.spi.Dispatcher;
import io.csp4j.vertx.VertxDispatcher;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The csp4j side of every scenario: JMH state that binds one backend and one process mode for a
 * whole trial. A benchmark method that takes a {@code Backend} runs once per backend and mode; the
 * peers' methods do not take it, so they run once per scenario.
 *
 * <p>Backends: {@code forkjoin} (one worker per processor), {@code forkjoin-1} (a single-thread
 * lane, {@code new ForkJoinDispatcher(1)}), {@code vertx} ({@link VertxDispatcher#create()}) and
 * {@code netty} (one event loop per processor). Modes: {@code loop} and {@code virtual}. Not
 * thread-safe: JMH calls {@link #bind()} and {@link #unbind()} from one thread.
 *
 * {@snippet :
 * Backend b = new Backend();
 * b.backend = "forkjoin-1";
 * b.mode = "loop";
 * b.bind();
 * try {
 *     PingPongBenchmark.csp4j(100);
 * } finally {
 *     b.unbind();
 * }
 * }
 */
@State(Scope.Benchmark)
public class Backend {

    /** The backends every csp4j scenario runs on. */
    public static final String[] BACKENDS = {"forkjoin", "forkjoin-1", "vertx", "netty"};

    /** Which dispatcher: one of {@link #BACKENDS}. */
    @Param({"forkjoin", "forkjoin-1", "vertx", "netty"})
    public String backend;

    /** Which process mode: {@code loop} or {@code virtual}. */
    @Param({"loop", "virtual"})
    public String mode;

    private Dispatcher dispatcher;

    /** Creates the backend's dispatcher and binds it and the mode for everything started after. */
    @Setup(Level.Trial)
    public void bind() {
        dispatcher = open(backend);
        Csp.useDispatcher(dispatcher);
        Csp.useProcessMode(processMode(mode));
    }

    /** Unbinds and closes the dispatcher. */
    @TearDown(Level.Trial)
    public void unbind() {
        Csp.useDispatcher(null);
        if (dispatcher != null) {
            dispatcher.close();
            dispatcher = null;
        }
    }

    /**
     * A new dispatcher for {@code name}, which the caller closes.
     *
     * @throws IllegalArgumentException for a name not in {@link #BACKENDS}
     */
    public static Dispatcher open(String name) {
        int cores = Runtime.getRuntime().availableProcessors();
        return switch (name) {
            case "forkjoin" -> new ForkJoinDispatcher(cores);
            case "forkjoin-1" -> new ForkJoinDispatcher(1);
            case "vertx" -> VertxDispatcher.create();
            case "netty" -> new NettyDispatcher(cores);
            default -> throw new IllegalArgumentException("unknown backend '" + name
                    + "': use one of forkjoin, forkjoin-1, vertx, netty");
        };
    }

    /**
     * The process mode named {@code loop} or {@code virtual}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ProcessMode processMode(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "loop" -> ProcessMode.LOOP;
            case "virtual" -> ProcessMode.VIRTUAL;
            default -> throw new IllegalArgumentException("unknown process mode '" + name + "': use loop or virtual");
        };
    }
}
