package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Boring.boring;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Timeout using select, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#35) and twisted-csp's README: a new timeout for
 * each message; the first message slower than 800 ms ends the conversation.
 *
 * <pre>
 * Joe 0
 * Joe 1
 * ...
 * You're too slow.
 * </pre>
 */
public final class TimeoutUsingSelect {

    private TimeoutUsingSelect() {}

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> c = boring("Joe");
            while (true) {
                AltResult r = alts(c, timeout(800)); // a fresh timeout channel each time round
                if (r.from(c)) {
                    out.println(r.value());
                } else {
                    out.println("You're too slow.");
                    return;
                }
            }
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
