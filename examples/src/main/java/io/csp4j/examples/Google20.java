package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Google10.IMAGE;
import static io.csp4j.examples.Google10.VIDEO;
import static io.csp4j.examples.Google10.WEB;

import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Search 2.0, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#45): the three searches run concurrently and
 * fan in on one channel, so a search takes as long as the slowest back-end. No locks, no callbacks.
 *
 * <pre>
 * image result for "golang"
 * web result for "golang"
 * video result for "golang"
 * 83 ms
 * </pre>
 */
public final class Google20 {

    private Google20() {}

    static List<String> google(String query) {
        Chan<String> c = chan();
        go(() -> { c.put(WEB.search(query)); });
        go(() -> { c.put(IMAGE.search(query)); });
        go(() -> { c.put(VIDEO.search(query)); });
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(c.take());
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
