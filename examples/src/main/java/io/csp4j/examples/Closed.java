package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * twisted-csp's {@code example/closed.py}: a take from a closed channel gives {@code null} at once,
 * and doing it a million times in a go block does not grow the stack (an engine that completed
 * operations on the caller's stack would overflow it).
 *
 * <pre>
 * null
 * Did not blow the stack: 1000000 takes from a closed channel
 * </pre>
 */
public final class Closed {

    private Closed() {}

    /** Takes {@code count} times from a closed channel inside a go block. */
    public static void run(PrintStream out, int count) {
        goFuture(() -> {
            Chan<String> chan = chan();
            chan.close();
            out.println(chan.take());
            int nulls = 0;
            for (int i = 0; i < count; i++) {
                if (chan.take() == null) {
                    nulls++;
                }
            }
            out.println("Did not blow the stack: " + nulls + " takes from a closed channel");
        }).join();
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        run(out, 1_000_000);
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000);
    }
}
