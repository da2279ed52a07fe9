package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.Google30.IMAGE1;
import static io.csp4j.examples.Google30.IMAGE2;
import static io.csp4j.examples.Google30.VIDEO1;
import static io.csp4j.examples.Google30.VIDEO2;
import static io.csp4j.examples.Google30.WEB1;
import static io.csp4j.examples.Google30.WEB2;

import io.csp4j.DeadlineExceededException;
import io.csp4j.FirstSuccess;
import io.csp4j.Scope;
import io.csp4j.Task;
import io.csp4j.examples.Google10.Search;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Google Search 3.0 ({@link Google30}) with structured scopes: the replicated query is a
 * {@link FirstSuccess} race, and the 80 ms budget is the deadline of one {@link Scope}. Unlike the
 * channel version, nothing outlives the search: the losing replicas and whatever is still running
 * at the deadline are cancelled and waited for before {@code google} returns.
 *
 * <pre>
 * web2 result for "golang"
 * image1 result for "golang"
 * video1 result for "golang"
 * 37 ms
 * </pre>
 */
public final class Google30Scope {

    private Google30Scope() {}

    /** Asks every replica and returns the first answer; the other replicas are cancelled. */
    static String first(String query, Search... replicas) {
        try (FirstSuccess<String> race = Scope.firstSuccess()) {
            for (Search replica : replicas) {
                race.go(() -> replica.search(query));
            }
            return race.join();
        }
    }

    static List<String> google(String query) {
        try (Scope scope = Scope.open(Duration.ofMillis(80))) {
            List<Task<String>> searches = List.of(
                    scope.go(() -> first(query, WEB1, WEB2)),
                    scope.go(() -> first(query, IMAGE1, IMAGE2)),
                    scope.go(() -> first(query, VIDEO1, VIDEO2)));
            try {
                scope.join();
            } catch (DeadlineExceededException e) {
                // keep what arrived in time; the rest was cancelled
            }
            List<String> results = new ArrayList<>();
            for (Task<String> s : searches) {
                results.add(s.state() == Task.State.SUCCEEDED ? s.get() : "timed out");
            }
            return results;
        }
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
