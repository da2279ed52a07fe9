package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Google10.fakeSearch;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.examples.Google10.Search;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Search 3.0, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#50): each back-end is replicated, the query goes
 * to every replica and the first reply wins; with an 80 ms budget a result is now almost certain.
 *
 * <pre>
 * web2 result for "golang"
 * image1 result for "golang"
 * video1 result for "golang"
 * 37 ms
 * </pre>
 */
public final class Google30 {

    static final Search WEB1 = fakeSearch("web1");
    static final Search WEB2 = fakeSearch("web2");
    static final Search IMAGE1 = fakeSearch("image1");
    static final Search IMAGE2 = fakeSearch("image2");
    static final Search VIDEO1 = fakeSearch("video1");
    static final Search VIDEO2 = fakeSearch("video2");

    private Google30() {}

    /** Asks every replica and returns the first answer. */
    static String first(String query, Search... replicas) {
        Chan<String> c = chan(replicas.length); // room for the losers too, so none is left parked
        for (Search replica : replicas) {
            go(() -> { c.put(replica.search(query)); });
        }
        return c.take();
    }

    static List<String> google(String query) {
        Chan<String> c = chan(3);
        go(() -> { c.put(first(query, WEB1, WEB2)); });
        go(() -> { c.put(first(query, IMAGE1, IMAGE2)); });
        go(() -> { c.put(first(query, VIDEO1, VIDEO2)); });
        List<String> results = new ArrayList<>();
        Chan<Object> timeout = timeout(80);
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
