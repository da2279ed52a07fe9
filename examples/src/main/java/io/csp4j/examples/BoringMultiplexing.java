package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Boring.boring;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Multiplexing, from "Go Concurrency Patterns" (http://talks.golang.org/2012/concurrency.slide#27):
 * a fan-in function with one forwarding process per input, so whoever is ready talks.
 *
 * <pre>
 * Joe 0
 * Ann 0
 * Ann 1
 * Joe 1
 * ...
 * You're both boring; I'm leaving.
 * </pre>
 */
public final class BoringMultiplexing {

    private BoringMultiplexing() {}

    /** Merges two channels into one: two forwarders, each ending when its input closes. */
    public static <T> Chan<T> fanIn(Chan<T> input1, Chan<T> input2) {
        Chan<T> c = chan();
        go(() -> { for (T v; (v = input1.take()) != null; ) c.put(v); });
        go(() -> { for (T v; (v = input2.take()) != null; ) c.put(v); });
        return c;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> c = fanIn(boring("Joe"), boring("Ann"));
            for (int i = 0; i < 10; i++) {
                out.println(c.take());
            }
            out.println("You're both boring; I'm leaving.");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
