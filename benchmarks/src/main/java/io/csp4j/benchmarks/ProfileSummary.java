package io.csp4j.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a benchmark's time goes: reads the flight recording JMH's {@code -prof jfr} wrote for one benchmark
 * and appends one JSON line to a file, for {@code benchmarks/report.py}'s "Where the time goes" section.
 *
 * <p>Each {@code jdk.ExecutionSample} (a thread caught running Java code) is put in the first
 * {@link #CATEGORIES category} whose rule matches one of its frames, read from the top of the stack down:
 * a sample in a channel's lock inside a put counts as "locks", one in the put's own code as "channels".
 * Samples of a ForkJoin lane that has nothing to do (spinning before it parks, looking for work to
 * steal) are counted apart: they use a core nobody else needed, not the workload's.
 * The line also has the methods with the most samples on top of the stack (self time). JFR samples a
 * thread only while it runs Java code: time in the VM's own code (the freeze and thaw of a continuation
 * are runtime stubs) is charged to the Java frame that called it, and time asleep is not sampled, so the
 * shares are of the CPU time spent in Java frames.
 *
 * <p>Usage: {@code ProfileSummary OUT.jsonl WORKLOAD BENCHMARK RECORDING.jfr}.
 */
public final class ProfileSummary {

    /** A named rule on one frame: its class name and method name. */
    private record Category(String name, Predicate<RecordedFrame> matches) {}

    /** The engine's channel, alts and buffer classes ({@code io.csp4j.internal}, {@code io.csp4j}). */
    private static final Set<String> CHANNEL_TYPES = Set.of(
            "io.csp4j.internal.ManyToManyChannel", "io.csp4j.internal.Alts", "io.csp4j.internal.AltFlag",
            "io.csp4j.internal.AltHandler", "io.csp4j.internal.ChannelBuffers", "io.csp4j.internal.ParkingHandler",
            "io.csp4j.internal.Handler", "io.csp4j.Chan", "io.csp4j.Channel", "io.csp4j.Buffer", "io.csp4j.Buffers");

    /** Samples of a lane with nothing to do that spins or looks for work to steal (any frame {@code Lane.idle}). */
    private static final String IDLE = "an idle lane spinning or looking for work to steal";

    private static final List<Category> CATEGORIES = List.of(
            new Category("continuation freeze (a process parks)", f -> isContinuation(f)
                    && methodIn(f, "yield", "yield0", "doYield", "freeze")),
            new Category("continuation thaw (a process resumes)", f -> isContinuation(f)
                    && methodIn(f, "run", "enter", "enter0", "enterSpecial", "thaw", "mount")),
            new Category("thread park and wake-up (LockSupport)", f -> typeStarts(f, "java.util.concurrent.locks.LockSupport")
                    || typeStarts(f, "jdk.internal.misc.Unsafe") && methodIn(f, "park", "unpark")),
            new Category("locks (a channel's or an alts' ChannelLock, java.util.concurrent.locks)",
                    f -> typeStarts(f, "java.util.concurrent.locks.") || typeStarts(f, "io.csp4j.internal.ChannelLock")),
            new Category("channels, alts and buffers (engine)", f -> CHANNEL_TYPES.contains(outerType(f))),
            new Category("processes: park, resume, registry (engine)", f -> typeStarts(f, "io.csp4j.")
                    && !typeStarts(f, "io.csp4j.benchmarks.") && !isBackend(f)),
            new Category("lanes and stealing (ForkJoin backend)", f -> typeStarts(f, "io.csp4j.forkjoin.")),
            new Category("event loops (Vert.x or Netty backend: contexts, task queues, wake-ups)",
                    f -> typeStarts(f, "io.csp4j.vertx.") || typeStarts(f, "io.csp4j.netty.")
                            || typeStarts(f, "io.vertx.") || typeStarts(f, "io.netty.")),
            new Category("the benchmark's own code", f -> typeStarts(f, "io.csp4j.benchmarks.")),
            new Category("JDK, other", f -> true));

    private ProfileSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ProfileSummary OUT.jsonl WORKLOAD BENCHMARK RECORDING.jfr");
        }
        Map<String, Integer> byCategory = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> byCategory.put(c.name(), 0));
        byCategory.put(IDLE, 0);
        Map<String, Integer> selfByMethod = new LinkedHashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[3]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            selfByMethod.merge(name(frames.get(0)), 1, Integer::sum);
            byCategory.merge(categoryOf(frames), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(selfByMethod.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        StringBuilder json = new StringBuilder();
        json.append("{\"workload\":").append(quote(args[1])).append(",\"benchmark\":").append(quote(args[2]))
                .append(",\"samples\":").append(samples).append(",\"categories\":{");
        String sep = "";
        for (Map.Entry<String, Integer> c : byCategory.entrySet()) {
            json.append(sep).append(quote(c.getKey())).append(':').append(c.getValue());
            sep = ",";
        }
        json.append("},\"selfTop\":[");
        sep = "";
        for (Map.Entry<String, Integer> m : top.subList(0, Math.min(8, top.size()))) {
            json.append(sep).append('[').append(quote(m.getKey())).append(',').append(m.getValue()).append(']');
            sep = ",";
        }
        json.append("]}");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println(json);
        }
        System.out.println(args[1] + ": " + samples + " samples " + byCategory);
    }

    private static String categoryOf(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.isJavaFrame() && f.getMethod() != null && f.getMethod().getName().equals("idle")
                    && f.getMethod().getType().getName().equals("io.csp4j.forkjoin.Lane")) {
                return IDLE;
            }
        }
        for (RecordedFrame f : frames) {
            if (!f.isJavaFrame() || f.getMethod() == null) {
                continue;
            }
            for (Category c : CATEGORIES.subList(0, CATEGORIES.size() - 1)) {
                if (c.matches().test(f)) {
                    return c.name();
                }
            }
        }
        return CATEGORIES.getLast().name();
    }

    /** A frame of a backend's own code: csp4j's ForkJoin, Vert.x or Netty dispatcher. */
    private static boolean isBackend(RecordedFrame f) {
        return typeStarts(f, "io.csp4j.forkjoin.") || typeStarts(f, "io.csp4j.vertx.") || typeStarts(f, "io.csp4j.netty.");
    }

    private static boolean isContinuation(RecordedFrame f) {
        return f.getMethod().getType().getName().equals("jdk.internal.vm.Continuation");
    }

    /** The frame's class, or the class it is nested in. */
    private static String outerType(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        int nested = type.indexOf('$');
        return nested < 0 ? type : type.substring(0, nested);
    }

    private static boolean typeStarts(RecordedFrame f, String prefix) {
        return f.getMethod().getType().getName().startsWith(prefix);
    }

    private static boolean methodIn(RecordedFrame f, String... names) {
        String m = f.getMethod().getName();
        for (String n : names) {
            if (m.equals(n)) {
                return true;
            }
        }
        return false;
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "(unknown)";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
