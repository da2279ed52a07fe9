package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Boring.boring;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Channels as a handle on a service, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#26): two services, read in lock-step, so Joe and
 * Ann take turns however fast either of them is.
 *
 * <pre>
 * Joe 0
 * Ann 0
 * Joe 1
 * ...
 * Ann 4
 * You're both boring; I'm leaving.
 * </pre>
 */
public final class BoringService {

    private BoringService() {}

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> joe = boring("Joe");
            Chan<String> ann = boring("Ann");
            for (int i = 0; i < 5; i++) {
                out.println(joe.take());
                out.println(ann.take());
            }
            out.println("You're both boring; I'm leaving.");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
