package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Boring.boring;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Timeout for the whole conversation, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#36): one timeout channel, made outside the loop,
 * bounds the whole conversation (5 seconds; the first argument changes it, in milliseconds).
 *
 * <pre>
 * Joe 0
 * ...
 * Joe 9
 * You talk too much.
 * </pre>
 */
public final class TimeoutForWholeConversation {

    private TimeoutForWholeConversation() {}

    /** Listens to Joe for {@code budgetMillis}, then leaves. */
    public static void run(PrintStream out, long budgetMillis) {
        goFuture(() -> {
            Chan<String> c = boring("Joe");
            Chan<Object> timeout = timeout(budgetMillis); // once, for the whole loop
            while (true) {
                AltResult r = alts(c, timeout);
                if (r.from(timeout)) {
                    out.println("You talk too much.");
                    return;
                }
                out.println(r.value());
            }
        }).join();
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        run(out, 5000);
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Long.parseLong(args[0]) : 5000);
    }
}
