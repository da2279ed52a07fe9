package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Daisy-chain, from "Go Concurrency Patterns" (http://talks.golang.org/2012/concurrency.slide#39):
 * 100,000 processes in a row, each passing on 1 + what its right neighbour gave it. Prints 100001.
 */
public final class DaisyChain {

    private DaisyChain() {}

    static void f(Chan<Integer> left, Chan<Integer> right) {
        left.put(1 + right.take());
    }

    /** Chains {@code n} processes and prints {@code n + 1}. */
    public static void run(PrintStream out, int n) {
        goFuture(() -> {
            Chan<Integer> leftmost = chan();
            Chan<Integer> left = leftmost;
            Chan<Integer> right = leftmost;
            for (int i = 0; i < n; i++) {
                right = chan();
                Chan<Integer> l = left;
                Chan<Integer> r = right;
                go(() -> f(l, r));
                left = right;
            }
            Chan<Integer> c = right;
            go(() -> { c.put(1); });
            out.println(leftmost.take());
        }).join();
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        run(out, 100_000);
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 100_000);
    }
}
