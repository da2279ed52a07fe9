package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Boring.boring;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Fan-in using select, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#34): the same merge as {@code boring-multiplexing},
 * with one process and one {@code alts} loop instead of a forwarder per input.
 *
 * <pre>
 * Ann 0
 * Joe 0
 * ...
 * You're both boring; I'm leaving.
 * </pre>
 */
public final class FanInSelect {

    private FanInSelect() {}

    /** Merges two channels with a single process; it ends when an input closes. */
    public static <T> Chan<T> fanIn(Chan<T> input1, Chan<T> input2) {
        Chan<T> c = chan();
        go(() -> {
            while (true) {
                AltResult r = alts(input1, input2); // whichever is ready first (at random if both are)
                T v = r.valueAs();
                if (v == null) {
                    return;
                }
                c.put(v);
            }
        });
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
