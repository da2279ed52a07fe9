package io.csp4j.examples;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples' main class: {@code ./run NAME [ARGS]} runs one, {@code ./run} lists them.
 *
 * <p>Each example is one small class of this package with a {@code main(String[])} (what
 * {@code ./run NAME} calls) and a {@code run(PrintStream)} that prints to the stream it is given and
 * returns when the example is over (what the tests call). Examples leave no non-daemon thread behind,
 * so the JVM exits with 0 when they are done.
 *
 * {@snippet lang=sh :
 * ./run                   # the list
 * ./run pingpong          # one example
 * ./run prime-sieve 2000  # an example with an argument
 * }
 */
public final class Examples {

    /** One entry of the registry: the class whose {@code main} runs the example, and its line. */
    public record Example(String name, Class<?> type, String description) {}

    /** Every example, in the order of the list (twisted-csp's own, then the Go talks'). */
    public static final Map<String, Example> ALL = registry(
            new Example("pingpong", PingPong.class, "the 2013 talk's ping-pong: two players hit one ball for a second"),
            new Example("daisychain", DaisyChain.class, "100,000 processes in a chain, each adds 1: prints 100001"),
            new Example("boring", Boring.class, "a generator: a function that returns a channel"),
            new Example("boring-service", BoringService.class, "channels as handles on two services, read in lock-step"),
            new Example("boring-multiplexing", BoringMultiplexing.class, "fan-in: two forwarders merge two services into one channel"),
            new Example("fan-in-select", FanInSelect.class, "fan-in with one process looping over alts"),
            new Example("timeout-using-select", TimeoutUsingSelect.class, "a timeout per message: \"You're too slow.\""),
            new Example("timeout-for-whole-conversation", TimeoutForWholeConversation.class,
                    "one timeout for the whole loop: \"You talk too much.\" [budget ms, default 5000]"),
            new Example("blocking", Blocking.class, "an unbuffered put with no taker parks (shown with a timeout)"),
            new Example("buffered", Buffered.class, "a buffer of 2 takes two puts without a taker"),
            new Example("closed", Closed.class, "a closed channel gives null, 1,000,000 times without growing the stack"),
            new Example("select", Select.class, "20 producers and a timeout, one alts loop until the timeout closes"),
            new Example("go-block", GoBlock.class, "a go block's return value arrives on its channel"),
            new Example("sequencing", Sequencing.class, "restoring sequencing with a wait channel in each message"),
            new Example("quit", Quit.class, "stopping a generator with a quit channel"),
            new Example("quit-reply", QuitReply.class, "a quit channel that carries the reply back"),
            new Example("google-1.0", Google10.class, "Google Search 1.0: web, image and video, one after another"),
            new Example("google-2.0", Google20.class, "Google Search 2.0: the three searches concurrently, fan-in"),
            new Example("google-2.1", Google21.class, "Google Search 2.1: don't wait for slow servers (80 ms budget)"),
            new Example("google-3.0", Google30.class, "Google Search 3.0: replicated servers, first reply wins, 80 ms"),
            new Example("google-3.0-scope", Google30Scope.class,
                    "Google Search 3.0 with scopes: a first-success race per kind, one 80 ms deadline, nothing left running"),
            new Example("prime-sieve", PrimeSieve.class, "Go's concurrent prime sieve: the first N primes [N, default 10]"),
            new Example("prime-sieve-scope", PrimeSieveScope.class,
                    "the prime sieve as a pipeline in a scope: closing the scope cancels every stage [N, default 10]"),
            new Example("feed-merge", FeedMerge.class,
                    "the 2013 talk's feed subscriptions: for-select with nil-channel cases, merged [run ms, default 3000]"),
            new Example("vertx-search", io.csp4j.examples.vertx.VertxSearch.class,
                    io.csp4j.examples.vertx.VertxSearch.DESCRIPTION),
            new Example("netty-chat", io.csp4j.examples.netty.NettyChat.class,
                    io.csp4j.examples.netty.NettyChat.DESCRIPTION));

    private Examples() {}

    /**
     * {@code --list} (or no argument) prints the list; {@code NAME ARGS...} runs example NAME with ARGS;
     * an unknown name prints the list on the error stream and exits with 2.
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("--list") || args[0].equals("list")) {
            list(System.out);
            return;
        }
        Example example = ALL.get(args[0]);
        if (example == null) {
            System.err.println("No example named '" + args[0] + "'. The examples:");
            list(System.err);
            System.exit(2);
        }
        MethodHandle main = MethodHandles.publicLookup().findStatic(
                example.type(), "main", MethodType.methodType(void.class, String[].class));
        main.invokeExact(Arrays.copyOfRange(args, 1, args.length));
    }

    /** Prints {@code ./run NAME  description} for every example. */
    public static void list(PrintStream out) {
        int width = ALL.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println("Run one with ./run NAME [ARGS] (add --dispatcher vertx|netty for another backend):");
        for (Example e : ALL.values()) {
            out.printf("  ./run %-" + width + "s  %s%n", e.name(), e.description());
        }
    }

    private static Map<String, Example> registry(Example... examples) {
        Map<String, Example> map = new LinkedHashMap<>();
        for (Example e : examples) {
            if (map.put(e.name(), e) != null) {
                throw new IllegalStateException("two examples named " + e.name());
            }
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
