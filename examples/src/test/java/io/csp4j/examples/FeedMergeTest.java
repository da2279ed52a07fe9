package io.csp4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class FeedMergeTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyFeedsItemsOnceInOrderThenClosed(ProcessMode mode) {
        Output.Run run = Output.of(mode, out -> FeedMerge.run(out, 1500));
        assertEquals("closed", run.last());
        // The fake feeds return every old item again each time: the subscriptions drop the repeats.
        List<Integer> items = Output.assertCounting(run.allButLast(), " Item ",
                "blog.golang.org", "googleblog.blogspot.com", "googledevelopers.blogspot.com");
        for (int n : items) {
            // The first fetch starts at once; later ones 0 to 2 s apart (and at least ~1 ms each).
            assertTrue(n >= 1 && n <= 1500, run.lines()::toString);
        }
        assertTrue(run.millis() >= 1500 && run.millis() < 5000, () -> run.millis() + " ms");
    }
}
