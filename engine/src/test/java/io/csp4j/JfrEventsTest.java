package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's JFR events (issue 15): recorded with {@link Recording}, read back with
 * {@link RecordingFile} and printed with the JDK's {@code jfr print}.
 */
class JfrEventsTest extends EngineTestSupport {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void parkedPendingLimitAndFailedProcessesAreRecorded(ProcessMode m) throws Exception {
        mode(m);
        Path file = dir.resolve("csp4j-" + m + ".jfr");
        try (Recording r = new Recording()) {
            r.enable("csp4j.ProcessParked").withThreshold(Duration.ofMillis(100));
            r.enable("csp4j.PendingLimitReached");
            r.enable("csp4j.ProcessFailed");
            r.start();

            // One long park (300 ms) on a named channel, and 20 short ones that stay under the threshold.
            Chan<String> orders = Csp.<String>chanBuilder().named("orders").build();
            Chan<String> slow = go(orders::take);
            Chan<Integer> quick = chan();
            Chan<Object> quickDone = go(() -> {
                for (int i = 0; i < 20; i++) quick.take();
                return "done";
            });
            for (int i = 0; i < 20; i++) quick.put(i);
            assertEquals("done", quickDone.take());
            eventually(10, () -> ((io.csp4j.internal.ManyToManyChannel<?>) orders).pendingTakes() == 1);
            Thread.sleep(300); // parked: from now on 300 ms at least
            orders.put("o-1");
            assertEquals("o-1", slow.take());

            // A channel with a limit of 2 pending takes: full once, refused once.
            Chan<Integer> limited = Csp.<Integer>chanBuilder().maxPending(2).named("limited").build();
            limited.takeAsync();
            limited.takeAsync();
            assertThrows(IllegalStateException.class, limited::takeAsync);

            // A failing go block and a failing goFuture.
            go(() -> {
                throw new IllegalArgumentException("bad order 42");
            }).take();
            CompletableFuture<Object> f = goFuture(() -> {
                throw new IllegalStateException("no stock");
            });
            assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            r.stop();
            r.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> parked = of(events, "csp4j.ProcessParked");
        assertEquals(1, parked.stream().filter(e -> "take()".equals(e.getString("operation"))
                && e.getDuration().toMillis() >= 290).count(), parked.toString());
        assertTrue(parked.stream().allMatch(e -> e.getDuration().toMillis() >= 100), parked.toString());

        List<RecordedEvent> limits = of(events, "csp4j.PendingLimitReached");
        assertEquals(2, limits.size(), limits.toString());
        assertEquals(List.of(false, true), limits.stream().map(e -> e.getBoolean("refused")).toList());
        for (RecordedEvent e : limits) {
            assertEquals("takes", e.getString("side"));
            assertEquals(2, e.getInt("limit"));
            assertEquals("limited[unbuffered, 2 takes pending]", e.getString("channel"));
        }

        List<RecordedEvent> failed = of(events, "csp4j.ProcessFailed");
        assertEquals(List.of("java.lang.IllegalArgumentException:bad order 42", "java.lang.IllegalStateException:no stock"),
                failed.stream().map(e -> e.getString("exceptionClass") + ":" + e.getString("message")).sorted().toList());
        assertTrue(failed.stream().allMatch(e -> e.getString("thrownAt").contains("JfrEventsTest")), failed.toString());
        assertEquals(2, reported.size() + 1, "the go block's exception is reported, the goFuture's is not");

        // The JDK's own tool reads the same file.
        String printed = jfrPrint(file, "csp4j.ProcessFailed,csp4j.PendingLimitReached,csp4j.ProcessParked");
        assertTrue(printed.contains("csp4j.ProcessFailed"), printed);
        assertTrue(printed.contains("\"bad order 42\""), printed);
        assertTrue(printed.contains("\"no stock\""), printed);
        assertTrue(printed.contains("csp4j.PendingLimitReached"), printed);
        assertTrue(printed.contains("\"limited[unbuffered, 2 takes pending]\""), printed);
        assertTrue(printed.contains("refused = true"), printed);
        assertTrue(printed.contains("csp4j.ProcessParked"), printed);
        assertTrue(printed.contains("operation = \"take()\""), printed);
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name))
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).collect(Collectors.toList());
    }

    /**
     * A program that records nothing does not start the flight recorder: its first park used to load
     * the event classes, which starts JFR's metadata (about half a second and a few megabytes). Run
     * in a fresh JVM, since this one may have started a recording already.
     */
    @Test
    void parkingFailingAndHittingALimitDoNotStartTheFlightRecorder() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), NoRecording.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("pings=1000 failed=true limit=true"), out);
        for (String cls : List.of("io.csp4j.internal.JfrEvents$ProcessParked", "jdk.jfr.internal.MetadataRepository")) {
            assertFalse(out.contains(" " + cls + " "), cls + " was loaded: the flight recorder started");
        }
    }

    /** The child JVM's program: ping-pong, a failing go block, a full queue of takes. */
    static final class NoRecording {
        public static void main(String[] args) {
            Chan<Integer> ping = chan();
            Chan<Integer> pong = chan();
            go(() -> {
                for (Integer v; (v = ping.take()) != null; ) pong.put(v);
            });
            int pings = 0;
            for (int i = 0; i < 1000; i++) {
                ping.put(i);
                if (pong.take() == i) pings++;
            }
            ping.close();
            Chan<Object> failed = go(() -> {
                throw new IllegalStateException("expected by the test");
            });
            boolean failedEnded = failed.take() == null;
            Chan<Integer> limited = Csp.<Integer>chanBuilder().maxPending(1).build();
            limited.takeAsync();
            boolean refused = false;
            try {
                limited.takeAsync();
            } catch (IllegalStateException e) {
                refused = true;
            }
            System.out.println("pings=" + pings + " failed=" + failedEnded + " limit=" + refused);
            Csp.shutdown();
        }
    }

    /** Runs {@code $JAVA_HOME/bin/jfr print --events ...} on {@code file} and returns its output. */
    static String jfrPrint(Path file, String events) throws Exception {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        assertTrue(Files.isExecutable(jfr), "no jfr tool at " + jfr);
        Process p = new ProcessBuilder(jfr.toString(), "print", "--events", events, file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jfr print did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
