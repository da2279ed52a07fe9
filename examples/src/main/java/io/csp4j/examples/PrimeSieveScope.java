package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import io.csp4j.Scope;
import java.io.PrintStream;

/**
 * Go's concurrent prime sieve ({@link PrimeSieve}) as a pipeline in a structured scope: the
 * generator and every filter loop forever, as in Go, and belong to one {@link Scope}. When main has
 * its N primes it leaves the scope, and {@code close()} cancels the whole pipeline wherever each
 * stage is parked and waits for every stage to end: no close-and-drain protocol, no process left
 * behind (Go's version leaves the chain running; the channel version closes and drains it).
 */
public final class PrimeSieveScope {

    private PrimeSieveScope() {}

    /** Sends 2, 3, 4, ... to {@code ch}, until cancelled. */
    static void generate(Chan<Integer> ch) {
        for (int i = 2; ; i++) {
            ch.put(i);
        }
    }

    /** Copies values from {@code in} to {@code out}, dropping the multiples of {@code prime}, until cancelled. */
    static void filter(Chan<Integer> in, Chan<Integer> out, int prime) {
        while (true) {
            int i = in.take();
            if (i % prime != 0) {
                out.put(i);
            }
        }
    }

    /** Prints the first {@code n} primes, one a line; returns when every stage has ended. */
    public static void run(PrintStream out, int n) {
        goFuture(() -> {
            try (Scope sieve = Scope.open()) {
                Chan<Integer> ch = chan();
                Chan<Integer> first = ch;
                sieve.go(() -> generate(first));
                for (int i = 0; i < n; i++) {
                    int prime = ch.take();
                    out.println(prime);
                    Chan<Integer> in = ch;
                    Chan<Integer> next = chan();
                    sieve.go(() -> filter(in, next, prime));
                    ch = next;
                }
            } // close(): cancels the generator and every filter, and waits for them
        }).join();
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        run(out, 10);
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 10);
    }
}
