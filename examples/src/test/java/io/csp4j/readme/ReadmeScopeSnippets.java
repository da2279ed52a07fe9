package io.csp4j.readme;

import static io.csp4j.Csp.*;

import io.csp4j.*;
import java.time.Duration;

/**
 * The README's snippets about cancellation and scopes, verbatim (see ReadmeSnippets). The scope
 * snippet prints nothing, so ReadmeTest checks that it compiles and agrees with the README.
 */
@SuppressWarnings("unused")
final class ReadmeScopeSnippets {

    private ReadmeScopeSnippets() {}

    record Profile(String name) {}

    record Page(Profile profile, int score) {}

    static int score(long userId) {
        return (int) (userId % 100);
    }

    static Page page(ReadPort<Profile> profiles, long userId) {
        // @start region="scope"
        try (Scope scope = Scope.open(Duration.ofSeconds(2))) {     // a deadline for the whole scope
            Task<Profile> profile = scope.go(() -> profiles.take());
            Task<Integer> score = scope.go(() -> score(userId));
            scope.join();   // parks in a go block (the lane stays free), blocks an ordinary thread;
                            // the first failure cancels the other process and is rethrown here
            return new Page(profile.get(), score.get());
        }                   // close(): cancels whatever still runs and waits for it; throws nothing itself
        // @end
    }
}
