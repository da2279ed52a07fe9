package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * twisted-csp's {@code example/buffered.py}: with a buffer of 2, one process can put twice with
 * nobody taking, then take both values back, in order. A third value would not fit:
 * {@code offer} (a put that never waits) says so.
 *
 * <pre>
 * buffered
 * channel
 * a third offer on a full buffer: false
 * </pre>
 */
public final class Buffered {

    private Buffered() {}

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<String> chan = chan(2);
            chan.put("buffered"); // does not wait: there is room
            chan.put("channel");
            out.println(chan.take());
            out.println(chan.take());
            chan.put("one");
            chan.put("two");
            out.println("a third offer on a full buffer: " + chan.offer("three"));
            chan.close();
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
