package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Go's concurrent prime sieve (https://go.dev/doc/play/sieve.go): a generator of 2, 3, 4, ... and
 * one filter process per prime found, each dropping the multiples of its prime. Prints the first N
 * primes (10 by default; {@code ./run prime-sieve 2000} gives 2,000 of them, 2,000 processes).
 *
 * <p>Go's version leaves the chain running when main returns. Here main closes the generator's
 * channel and drains the end of the chain: the close flows down, filter by filter, and every
 * process ends.
 */
public final class PrimeSieve {

    private PrimeSieve() {}

    /** Sends 2, 3, 4, ... to {@code ch} until it is closed. */
    static void generate(Chan<Integer> ch) {
        for (int i = 2; ch.put(i); i++) {
            // put returns false once ch is closed
        }
    }

    /** Copies the values from {@code in} to {@code out}, dropping those divisible by {@code prime}. */
    static void filter(Chan<Integer> in, Chan<Integer> out, int prime) {
        for (Integer i; (i = in.take()) != null; ) {
            if (i % prime != 0) {
                out.put(i);
            }
        }
        out.close();
    }

    /** Prints the first {@code n} primes, one a line. */
    public static void run(PrintStream out, int n) {
        goFuture(() -> {
            Chan<Integer> first = chan();
            go(() -> generate(first));
            Chan<Integer> ch = first;
            for (int i = 0; i < n; i++) {
                int prime = ch.take();
                out.println(prime);
                if (i < n - 1) {
                    Chan<Integer> in = ch;
                    Chan<Integer> ch1 = chan();
                    go(() -> filter(in, ch1, prime));
                    ch = ch1;
                }
            }
            first.close();
            while (ch.take() != null) {
                // drain what was still on its way; null once the last filter has closed ch
            }
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
