package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.csp4j.internal.LaneWatchdog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocked-lane warning in loop mode (issue 15); the TCK's 4.3 runs it on every backend. */
class BlockedLaneWarningTest extends EngineTestSupport {

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    @AfterEach
    void reset() {
        LaneWatchdog.setListener(null);
        System.clearProperty(LaneWatchdog.PROPERTY);
    }

    @Test
    void aStepThatBlocksItsLaneIsReportedOnceWithItsStack() throws Exception {
        assumeTrue(io.csp4j.internal.Engine.loopModeAvailable(), "loop mode needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        mode(ProcessMode.LOOP);
        System.setProperty(LaneWatchdog.PROPERTY, "200");
        LaneWatchdog.setListener(warnings::add);
        // A well-behaved process first: 2,000 quick steps, no warning.
        Chan<Integer> c = chan();
        Chan<Integer> sum = go(() -> {
            int s = 0;
            for (int i = 0; i < 2000; i++) s += c.take();
            return s;
        });
        for (int i = 0; i < 2000; i++) c.put(1);
        assertEquals(2000, sum.take());
        Thread.sleep(400);
        assertEquals(List.of(), warnings);

        go(() -> {
            blockTheLane();
            return null;
        }).take();
        eventually(20, () -> !warnings.isEmpty()); // the watchdog may trail on a loaded machine
        Thread.sleep(300);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("Process process#"), w);
        assertTrue(w.contains("has blocked lane thread "), w);
        assertTrue(w.contains("use sleep(d), await(stage) or thread(...)"), w);
        assertTrue(w.contains("java.lang.Thread.sleep"), w);
        assertTrue(w.contains("BlockedLaneWarningTest.blockTheLane"), w);
    }

    @Test
    void aThresholdOfZeroTurnsTheWarningOff() throws Exception {
        assumeTrue(io.csp4j.internal.Engine.loopModeAvailable(), "loop mode needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        mode(ProcessMode.LOOP);
        System.setProperty(LaneWatchdog.PROPERTY, "0");
        LaneWatchdog.setListener(warnings::add);
        go(() -> {
            blockTheLane();
            return null;
        }).take();
        Thread.sleep(200);
        assertEquals(List.of(), warnings);
    }

    private static void blockTheLane() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
