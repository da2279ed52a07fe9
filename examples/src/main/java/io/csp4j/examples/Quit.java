package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Quit channel, from "Go Concurrency Patterns" (http://talks.golang.org/2012/concurrency.slide#37):
 * the generator selects between sending its next message and being told to quit; main listens to
 * a random number of messages (1 to 10), then tells it.
 *
 * <pre>
 * Joe 0
 * ...
 * Joe 6
 * Joe has quit.
 * </pre>
 */
public final class Quit {

    private Quit() {}

    /** Like {@link Boring#boring}, but it closes its channel and returns once {@code quit} delivers. */
    static Chan<String> boring(String msg, Chan<Boolean> quit) {
        Chan<String> c = chan();
        go(() -> {
            for (int i = 0; ; i++) {
                AltResult r = alts(putOp(c, msg + " " + i), takeOp(quit));
                if (r.from(quit)) {
                    c.close();
                    return;
                }
            }
        });
        return c;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<Boolean> quit = chan();
            Chan<String> c = boring("Joe", quit);
            for (int i = ThreadLocalRandom.current().nextInt(10); i >= 0; i--) {
                out.println(c.take());
            }
            quit.put(true); // a rendezvous: Joe has it when this returns
            out.println(c.take() == null ? "Joe has quit." : "Joe is still talking!");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
