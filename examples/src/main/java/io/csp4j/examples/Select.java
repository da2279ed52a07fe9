package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * twisted-csp's {@code example/select.py}: 20 producers each put one number after 100 ms on a
 * channel of their own; one {@code alts} loop over the 20 channels and a 300 ms timeout prints them
 * as they come (in no particular order) until the timeout closes.
 *
 * <pre>
 * 7
 * 0
 * ...
 * time out
 * </pre>
 */
public final class Select {

    private Select() {}

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            List<AltOp> ops = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Chan<Integer> chan = chan();
                int value = i;
                go(() -> {
                    sleep(100);
                    chan.put(value);
                });
                ops.add(takeOp(chan));
            }
            ops.add(takeOp(timeout(300)));
            while (true) {
                AltResult r = alts(ops);
                if (r.value() == null) { // only the timeout ever closes
                    out.println("time out");
                    return;
                }
                out.println(r.value());
            }
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
