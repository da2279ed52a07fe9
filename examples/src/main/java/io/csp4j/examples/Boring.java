package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generator pattern, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#25) and twisted-csp's README: a function that
 * returns a channel, with a process behind it that talks on it at random intervals.
 *
 * <pre>
 * You say: "boring! 0"
 * ...
 * You say: "boring! 4"
 * You're boring; I'm leaving.
 * </pre>
 */
public final class Boring {

    private Boring() {}

    /**
     * Returns a channel on which "{@code msg} 0", "{@code msg} 1", ... arrive, up to a second apart.
     * As in Go, the process is left parked on its next put when nobody listens any more: it holds no
     * thread, and the JVM exits around it (see {@code quit} for how to stop one).
     */
    public static Chan<String> boring(String msg) {
        Chan<String> c = chan();
        go(() -> {
            for (int i = 0; ; i++) {
                c.put(msg + " " + i);
                sleep(ThreadLocalRandom.current().nextInt(1000));
            }
        });
        return c;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> c = boring("boring!");
            for (int i = 0; i < 5; i++) {
                out.println("You say: \"" + c.take() + "\"");
            }
            out.println("You're boring; I'm leaving.");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
