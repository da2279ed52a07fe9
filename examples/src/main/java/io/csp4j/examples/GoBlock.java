package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * twisted-csp's {@code example/go_block.py}: {@code go(...)} returns a channel that receives the
 * block's return value and then closes, so a result can be picked up at once or much later.
 *
 * <pre>
 * I'm done
 * 1
 * I'm done
 * 2
 * then the channel is closed: null
 * Done
 * </pre>
 */
public final class GoBlock {

    private GoBlock() {}

    static Integer lazyEcho(PrintStream out, int x) {
        sleep(100);
        out.println("I'm done");
        return x;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        Chan<String> main = go(() -> {
            Chan<Integer> chan = go(() -> lazyEcho(out, 1));
            out.println(chan.take()); // waits the 100 ms

            chan = go(() -> lazyEcho(out, 2));
            sleep(1000);
            out.println(chan.take()); // long done: the value waited in the channel's buffer
            out.println("then the channel is closed: " + chan.take());
            return "Done";
        });
        out.println(main.take());
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
