package io.csp4j.examples;

import static io.csp4j.Csp.*;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Google Search 1.0, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#42): fake web, image and video back-ends that
 * answer within 100 ms, called one after the other, so a search takes the sum of the three.
 * The back-ends and {@link #print} are shared by the 2.0, 2.1 and 3.0 versions.
 *
 * <pre>
 * web result for "golang"
 * image result for "golang"
 * video result for "golang"
 * 152 ms
 * </pre>
 */
public final class Google10 {

    /** A back-end: a search that parks the calling process while it "works". */
    @FunctionalInterface
    public interface Search {
        /** Returns the one result for {@code query}; parks (or blocks) while it works. */
        String search(String query);
    }

    /** The fake web back-end. */
    public static final Search WEB = fakeSearch("web");
    /** The fake image back-end. */
    public static final Search IMAGE = fakeSearch("image");
    /** The fake video back-end. */
    public static final Search VIDEO = fakeSearch("video");

    private Google10() {}

    /** A back-end of {@code kind} that answers after a random 0 to 99 ms. */
    public static Search fakeSearch(String kind) {
        return query -> {
            sleep(ThreadLocalRandom.current().nextInt(100));
            return kind + " result for \"" + query + "\"";
        };
    }

    static List<String> google(String query) {
        List<String> results = new ArrayList<>();
        results.add(WEB.search(query));
        results.add(IMAGE.search(query));
        results.add(VIDEO.search(query));
        return results;
    }

    /** Prints the results, one a line, and the time {@code google} took since {@code startNanos}. */
    static void print(PrintStream out, List<String> results, long startNanos) {
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        results.forEach(out::println);
        out.println(elapsed + " ms");
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            long start = System.nanoTime();
            List<String> results = google("golang");
            print(out, results, start);
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
