package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Receive on quit channel, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#38): the quit channel carries the reply back, so
 * main knows the generator has cleaned up before it goes on.
 *
 * <pre>
 * Joe 0
 * ...
 * Joe 3
 * Joe says: "See you!"
 * </pre>
 */
public final class QuitReply {

    private QuitReply() {}

    static Chan<String> boring(String msg, Chan<String> quit) {
        Chan<String> c = chan();
        go(() -> {
            for (int i = 0; ; i++) {
                AltResult r = alts(putOp(c, msg + " " + i), takeOp(quit));
                if (r.from(quit)) {
                    cleanup();
                    quit.put("See you!");
                    return;
                }
            }
        });
        return c;
    }

    static void cleanup() {
        // Nothing to release here; a real service would close its connections.
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> quit = chan();
            Chan<String> c = boring("Joe", quit);
            for (int i = ThreadLocalRandom.current().nextInt(10); i >= 0; i--) {
                out.println(c.take());
            }
            quit.put("Bye!");
            out.println("Joe says: \"" + quit.take() + "\"");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
