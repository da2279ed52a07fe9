package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * twisted-csp's {@code example/blocking.py}: a put on an unbuffered channel waits for a taker, so a
 * process that puts and then takes from the same channel never gets past its put. Here main watches
 * it for half a second, then takes the value itself so that everything ends.
 *
 * <pre>
 * will block
 * still parked after 500 ms: an unbuffered put waits for a taker
 * put done
 * main took "channel"
 * </pre>
 */
public final class Blocking {

    private Blocking() {}

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> chan = chan();
            Chan<Void> process = go(() -> {
                out.println("will block");
                chan.put("channel"); // parks: nobody is taking
                out.println("put done");
            });
            AltResult r = alts(process, timeout(500)); // the process's channel closes when it ends
            out.println(r.from(process)
                    ? "the process ended: that should not happen"
                    : "still parked after 500 ms: an unbuffered put waits for a taker");
            String value = chan.take(); // the rendezvous: now the put completes
            process.take();             // wait for it to end
            out.println("main took \"" + value + "\"");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
