package io.csp4j.tck;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.Diagnostics;
import io.csp4j.ProcessInfo;
import io.csp4j.ProcessMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/*
 * Part 4 of tck/SPEC.md, seeing what the processes do (clauses 4.1 - 4.5): the dump, the JFR
 * events, the blocked-lane warning and the leak report, on the backend's dispatcher, in both
 * process modes. Channel names carry a random suffix so that processes left by other clauses of the
 * same JVM never match.
 */

/**
 * The diagnostics clauses 4.1 to 4.5 of {@code tck/SPEC.md}: {@link Diagnostics}' dump of live
 * processes (state, operation, channel, stack), the engine's JFR events, the blocked-lane warning
 * of loop mode and the leak report, each on the backend's dispatcher. Extended by
 * {@link EngineVerification}, the whole TCK.
 */
public abstract class DiagnosticsVerification extends CancellationVerification {

    /** Constructor for subclasses. */
    protected DiagnosticsVerification() {}

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    /** Restores the diagnostics settings a clause changed. Not a clause. */
    @AfterEach
    public final void tckResetDiagnostics() {
        Diagnostics.setWarningListener(null);
        warnings.clear();
        Diagnostics.recordStartSites(false);
        System.clearProperty("csp4j.blockedLaneMillis");
    }

    /** Parks in take(): a frame the stack in the dump must show. */
    static String waitForOrder(Chan<String> orders) {
        return orders.take();
    }

    private static List<ProcessInfo> parkedOn(String channelName, boolean stacks) {
        Predicate<ProcessInfo> on = p -> p.parkedOn() != null && p.parkedOn().contains(channelName + "[");
        List<ProcessInfo> all = stacks ? Diagnostics.processesWithStacks(PATIENCE) : Diagnostics.processes();
        return all.stream().filter(on).toList();
    }

    /**
     * 4.1: the dump lists a known set of parked processes with state PARKED, the operation, the
     * channel as its {@code toString()} shows it (name, buffer, pending operations), a growing
     * parked time and a stack that shows where each is parked; processes that ended are gone.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec401_theDumpShowsWhatEachParkedProcessWaitsOn(ProcessMode mode) throws Exception {
        useEngine(mode);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Chan<String> orders = Csp.<String>chanBuilder().named("orders-" + id).build();
        Chan<Integer> jobs = Csp.<Integer>chanBuilder().buffer(1).named("jobs-" + id).build();
        Chan<Integer> a = Csp.<Integer>chanBuilder().named("a-" + id).build();
        jobs.put(0);
        List<Chan<String>> takers = List.of(go(() -> waitForOrder(orders)), go(() -> waitForOrder(orders)),
                go(() -> waitForOrder(orders)));
        Chan<Boolean> putter = go(() -> jobs.put(1));
        Chan<Object> alter = go(() -> alts(a, Csp.<Integer>chanBuilder().named("b-" + id).build()).value());
        awaitCount(() -> parkedOn("orders-" + id, false).size(), 3);
        awaitCount(() -> parkedOn("jobs-" + id, false).size(), 1);
        awaitCount(() -> parkedOn("a-" + id, false).size(), 1);
        sleepQuietly(50);

        List<ProcessInfo> onOrders = parkedOn("orders-" + id, true);
        assertEquals(3, onOrders.size(), onOrders.toString());
        for (ProcessInfo p : onOrders) {
            assertEquals(ProcessInfo.State.PARKED, p.state());
            assertEquals(mode, p.mode());
            assertEquals("take()", p.operation());
            assertEquals("orders-" + id + "[unbuffered, 3 takes pending]", p.parkedOn());
            assertTrue(p.parkedFor().toMillis() >= 40, p.parkedFor().toString());
            assertTrue(p.stack().stream().anyMatch(f -> f.getMethodName().equals("waitForOrder")),
                    "the stack shows where it parked: " + p);
            assertTrue(p.id() > 0);
        }
        assertEquals(3, onOrders.stream().mapToLong(ProcessInfo::id).distinct().count(), "distinct ids");
        ProcessInfo put = parkedOn("jobs-" + id, false).get(0);
        assertEquals("put()", put.operation());
        assertEquals("jobs-" + id + "[fixed 1/1, 1 put pending]", put.parkedOn());
        ProcessInfo alt = parkedOn("a-" + id, false).get(0);
        assertEquals("alts()", alt.operation());
        assertTrue(alt.parkedOn().contains("take(a-" + id + "[unbuffered, 1 take pending])")
                && alt.parkedOn().contains("take(b-" + id + "["), alt.parkedOn());
        String dump = Diagnostics.dump();
        assertTrue(dump.startsWith("csp4j: "), dump);
        assertTrue(dump.contains("PARKED") && dump.contains("in take() on orders-" + id), dump);
        assertTrue(dump.contains("waitForOrder"), dump);

        // Processes that end leave the dump.
        for (int i = 0; i < 3; i++) orders.put("o" + i);
        for (Chan<String> t : takers) takeWithin(t);
        assertEquals(0, jobs.take());
        assertEquals(Boolean.TRUE, takeWithin(putter));
        a.put(7);
        assertEquals(7, takeWithin(alter));
        awaitCount(() -> 3 - parkedOn("orders-" + id, false).size() - parkedOn("jobs-" + id, false).size()
                - parkedOn("a-" + id, false).size(), 3);
        assertTrue(Diagnostics.processes().stream().noneMatch(p -> p.parkedOn() != null && p.parkedOn().contains(id)));
    }

    /**
     * 4.2: in loop mode a process whose step runs is RUNNING (with its lane thread's stack), and a
     * process resumed behind it on the same lane is WAITING_FOR_LANE; with start sites on, the dump
     * says where each was started.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessMode.class, names = "LOOP")
    public void required_spec402_runningAndWaitingForTheLaneAreTold(ProcessMode mode) throws Exception {
        useEngine(mode);
        assumeCapability(Capability.THREAD_AFFINITY);
        System.setProperty("csp4j.blockedLaneMillis", "0");
        Diagnostics.recordStartSites(true);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Chan<String> wake = Csp.<String>chanBuilder().named("wake-" + id).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean spinning = new AtomicBoolean();
        Chan<String> spinner = go(() -> {
            Chan<String> child = go(() -> waitForOrder(wake)); // same lane: started on its thread
            while (!wake.offer("go")) {
                sleep(1); // until the child parks on wake, then hand it a value: it is resumed behind us
            }
            spinning.set(true);
            while (!stop.get()) {
                Thread.onSpinWait(); // hold the lane
            }
            return child.take();
        });
        try {
            awaitCount(() -> spinning.get() ? 1 : 0, 1);
            List<ProcessInfo> all = Diagnostics.processesWithStacks(Duration.ofMillis(200));
            ProcessInfo running = all.stream().filter(p -> p.state() == ProcessInfo.State.RUNNING
                    && p.stack().stream().anyMatch(f -> f.getMethodName().contains("required_spec402")))
                    .findFirst().orElseThrow(() -> new AssertionError("no RUNNING spinner in " + all));
            assertFalse(running.startedAt().isEmpty(), "start sites are recorded: " + running);
            assertTrue(running.startedAt().get(0).getMethodName().contains("required_spec402"), running.toString());
            assertTrue(all.stream().anyMatch(p -> p.state() == ProcessInfo.State.WAITING_FOR_LANE
                    && p.id() != running.id() && !p.startedAt().isEmpty()
                    && p.startedAt().get(0).getMethodName().contains("required_spec402")), all.toString());
        } finally {
            stop.set(true);
        }
        assertEquals("go", takeWithin(spinner));
    }

    /**
     * 4.3: with a JFR recording on, a park longer than the threshold is recorded as
     * {@code csp4j.ProcessParked} (operation and channel), a full pending queue and a refused operation
     * as {@code csp4j.PendingLimitReached}, a failed go block as {@code csp4j.ProcessFailed}; the events
     * are read back from the recording's file.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec403_jfrEventsAreRecorded(ProcessMode mode) throws Exception {
        useEngine(mode);
        Csp.setUncaughtExceptionHandler(e -> {});
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.createTempFile("csp4j-tck-", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("csp4j.ProcessParked").withThreshold(Duration.ofMillis(100));
            r.enable("csp4j.PendingLimitReached");
            r.enable("csp4j.ProcessFailed");
            r.start();
            Chan<String> slow = Csp.<String>chanBuilder().named("slow-" + id).build();
            Chan<String> taker = go(() -> waitForOrder(slow));
            awaitCount(() -> parkedOn("slow-" + id, false).size(), 1); // parked: from now on 300 ms at least
            sleepQuietly(300);
            slow.put("late");
            assertEquals("late", takeWithin(taker));
            Chan<Integer> limited = Csp.<Integer>chanBuilder().maxPending(2).named("limited-" + id).build();
            limited.takeAsync();
            limited.takeAsync();
            assertThrows(IllegalStateException.class, limited::takeAsync);
            CompletableFuture<Object> failed = goFuture(() -> {
                throw new IllegalArgumentException("failure " + id);
            });
            assertThrows(Exception.class, () -> failed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            r.stop();
            r.dump(file);
        }
        try {
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<RecordedEvent> parked = events.stream().filter(e -> e.getEventType().getName().equals("csp4j.ProcessParked")
                    && String.valueOf(e.getString("parkedOn")).startsWith("slow-" + id)).toList();
            assertEquals(1, parked.size(), events.toString());
            assertEquals("take()", parked.get(0).getString("operation"));
            assertTrue(parked.get(0).getDuration().toMillis() >= 290, parked.toString());
            List<RecordedEvent> limits = events.stream().filter(e -> e.getEventType().getName().equals("csp4j.PendingLimitReached")
                    && String.valueOf(e.getString("channel")).startsWith("limited-" + id)).toList();
            assertEquals(List.of(false, true), limits.stream().map(e -> e.getBoolean("refused")).toList());
            assertEquals(1, events.stream().filter(e -> e.getEventType().getName().equals("csp4j.ProcessFailed")
                    && ("failure " + id).equals(e.getString("message"))
                    && "java.lang.IllegalArgumentException".equals(e.getString("exceptionClass"))).count(), events.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * 4.4: in loop mode, a step that blocks its lane thread longer than {@code csp4j.blockedLaneMillis}
     * (3 s) is reported once, naming the process and showing the lane thread's stack; steps that
     * park are never reported. In virtual mode the same blocking call blocks nobody and is not reported.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec404_aBlockedLaneIsReported(ProcessMode mode) throws Exception {
        useEngine(mode);
        System.setProperty("csp4j.blockedLaneMillis", "200");
        Diagnostics.setWarningListener(warnings::add);
        Chan<Integer> c = chan();
        Chan<Integer> sum = go(() -> {
            int s = 0;
            for (int i = 0; i < 1000; i++) s += c.take();
            return s;
        });
        for (int i = 0; i < 1000; i++) c.put(1);
        assertEquals(1000, takeWithin(sum));
        assertEquals(List.of(), warnings.stream().filter(w -> w.contains("has blocked lane thread")).toList(),
                "steps that park are never reported");
        go(() -> {
            blockTheThread(mode == ProcessMode.LOOP ? 3000 : 1000);
            return 1;
        }).take();
        Predicate<String> ours = w -> w.contains("has blocked lane thread") && w.contains("blockTheThread");
        if (mode == ProcessMode.VIRTUAL) {
            sleepQuietly(500);
            assertEquals(List.of(), warnings.stream().filter(ours).toList());
            return;
        }
        // The watchdog samples every quarter threshold; on a loaded machine its report may trail the step.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (warnings.stream().noneMatch(ours) && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        sleepQuietly(300);
        List<String> lane = warnings.stream().filter(ours).toList();
        assertEquals(1, lane.size(), warnings.toString());
        String w = lane.get(0);
        assertTrue(w.startsWith("Process process#"), w);
        assertTrue(w.contains("use sleep(d), await(stage) or thread(...)"), w);
        assertTrue(w.contains("java.lang.Thread.sleep"), w);
        assertTrue(w.contains("blockTheThread"), w);
    }

    private static void blockTheThread(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * 4.5: a loop-mode process parked on a channel nobody can reach any more is reported once (what it
     * was parked on and, with start sites on, where it was started); a process parked on a channel
     * that is still reachable is never reported. In virtual mode the JDK keeps every parked virtual
     * thread reachable ({@code jdk.trackAllThreads}), so only the second half applies.
     */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    public void required_spec405_anAbandonedProcessIsReportedOnceALiveOneNever(ProcessMode mode) throws Exception {
        useEngine(mode);
        Diagnostics.setWarningListener(warnings::add);
        Diagnostics.recordStartSites(true);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Chan<String> live = Csp.<String>chanBuilder().named("live-" + id).build();
        Chan<String> liveTaker = go(() -> waitForOrder(live));
        abandon("abandoned-" + id);
        awaitCount(() -> parkedOn("live-" + id, false).size(), 1);
        long deadline = System.nanoTime() + PATIENCE.toNanos() / 2;
        while (mode == ProcessMode.LOOP && warnings.stream().noneMatch(w -> w.contains("abandoned-" + id))
                && System.nanoTime() < deadline) {
            System.gc();
            sleepQuietly(50);
        }
        if (mode == ProcessMode.VIRTUAL) {
            for (int i = 0; i < 5; i++) {
                System.gc();
                sleepQuietly(60);
            }
        }
        sleepQuietly(600); // a second report would come within a watchdog period
        List<String> leaks = warnings.stream().filter(w -> w.contains(id)).toList();
        assertTrue(leaks.stream().noneMatch(w -> w.contains("live-" + id)), leaks.toString());
        if (mode == ProcessMode.LOOP) {
            assertEquals(1, leaks.size(), warnings.toString());
            String w = leaks.get(0);
            assertTrue(w.contains("can never resume: it was parked in take() on channel abandoned-" + id), w);
            assertTrue(w.contains("It was started at:") && w.contains("DiagnosticsVerification.abandon("), w);
        }
        live.put("still here");
        assertEquals("still here", takeWithin(liveTaker));
        assertNull(live.poll());
    }

    /** Starts a process parked on a channel that only it can reach. */
    private static void abandon(String name) {
        go(() -> {
            Chan<String> lost = Csp.<String>chanBuilder().named(name).build();
            return waitForOrder(lost);
        });
    }
}
