package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Google10.IMAGE;
import static io.csp4j.examples.Google10.VIDEO;
import static io.csp4j.examples.Google10.WEB;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Search 2.1, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#47): don't wait for slow servers; whatever has
 * arrived after 80 ms is the answer.
 *
 * <pre>
 * web result for "golang"
 * video result for "golang"
 * timed out
 * 81 ms
 * </pre>
 */
public final class Google21 {

    private Google21() {}

    static List<String> google(String query) {
        // Go's channel is unbuffered and a late search blocks forever on its send; a buffer of 3
        // lets late searches finish and go away.
        Chan<String> c = chan(3);
        go(() -> { c.put(WEB.search(query)); });
        go(() -> { c.put(IMAGE.search(query)); });
        go(() -> { c.put(VIDEO.search(query)); });
        List<String> results = new ArrayList<>();
        Chan<Object> timeout = timeout(80); // one budget for all three
        for (int i = 0; i < 3; i++) {
            AltResult r = alts(c, timeout);
            if (r.from(timeout)) {
                results.add("timed out");
                break;
            }
            results.add(r.valueAs());
        }
        return results;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            long start = System.nanoTime();
            Google10.print(out, google("golang"), start);
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
