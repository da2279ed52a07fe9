package io.csp4j.forkjoin;

import java.util.ArrayList;
import java.util.List;

/** Helpers of the step-by-step tests, whose lanes are never started (LaneStealTest, LaneWakeTest, LaneIdleTest). */
final class LaneSteps {

    private LaneSteps() {
    }

    /** What {@code lane} would run next, in order, until it is out of work (its own thread's view). */
    static List<Runnable> drain(Lane lane) {
        List<Runnable> started = new ArrayList<>();
        for (Runnable r; (r = lane.next()) != null; ) {
            started.add(r);
        }
        return started;
    }
}
