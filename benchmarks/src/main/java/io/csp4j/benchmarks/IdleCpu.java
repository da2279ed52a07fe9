package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.spi.Dispatcher;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The CPU an idle program burns. For each backend in loop mode: {@value #PARKED} processes parked on
 * takes from channels that never get a value, a ping-pong burst of {@value #BURST} round trips that
 * leaves the lanes just busy and the JIT busy compiling, then
 * <ol>
 *   <li><b>settle</b>: one {@code System.gc()}, then wait until the JIT and the collector are quiet:
 *       the JIT's total compilation time ({@link CompilationMXBean#getTotalCompilationTime()}, in
 *       milliseconds) and the collection count of every {@link GarbageCollectorMXBean} unchanged for
 *       {@value #QUIET_MILLIS} ms in a row, sampled every {@value #SAMPLE_MILLIS} ms, for at most
 *       {@value #SETTLE_LIMIT_SECONDS} s (the figure says whether it settled and how long it took);</li>
 *   <li><b>measure</b> over {@value #IDLE_SECONDS} s of this thread sleeping: the process's CPU time
 *       ({@code com.sun.management.OperatingSystemMXBean.getProcessCpuTime}, every thread of the
 *       process, the JVM's own included), and beside it the CPU time of every Java platform thread
 *       ({@link ThreadMXBean#getThreadCpuTime(long)}), summed for the dispatcher's threads (by name:
 *       {@code csp4j-forkjoin-*}, {@code vert.x-*} and {@code vertx-*}, {@code csp4j-netty-*}) and
 *       for the other Java threads; the rest of the process's time is the JVM's own threads that are
 *       not Java threads (JIT compilers, GC, VM), which {@code ThreadMXBean} does not list. The JIT's
 *       compilation time and the collections within the window are reported too, so a busy JIT or
 *       GC shows as such and not as the backend's; and, where Linux's {@code /proc} is there, the
 *       busiest threads of the process as the OS counts them ({@code /proc/self/task/TID/schedstat}),
 *       which names the JVM's own threads too.</li>
 * </ol>
 * A first line, {@code jvm-baseline}, measures the same JVM in the same way with no dispatcher at all
 * (after a warm-up of the measuring code, so that the JIT has compiled it), which bounds
 * how low any backend can go.
 *
 * <p>Run by {@code benchmarks/bench} in a JVM of its own (the loop-mode option); argument: the output
 * file (JSON lines, one object per backend), then optionally the backends (default forkjoin, vertx,
 * netty) and the idle seconds. Not thread-safe: one measurement at a time.
 *
 * {@snippet :
 * // java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp ... \
 * //     io.csp4j.benchmarks.IdleCpu target/idle-cpu.jsonl forkjoin vertx netty
 * }
 */
public final class IdleCpu {

    /** Processes parked while the program is idle. */
    public static final int PARKED = 1_000;
    /** Round trips of the ping-pong burst just before settling. */
    public static final int BURST = 20_000;
    /** Seconds of idleness measured. */
    public static final int IDLE_SECONDS = 5;
    /** How long the JIT and GC must have been quiet before the window starts. */
    public static final int QUIET_MILLIS = 2_000;
    /** How often settling samples the JIT and GC counters. */
    public static final int SAMPLE_MILLIS = 100;
    /** The most settling waits; the window starts then, quiet or not (and says so). */
    public static final int SETTLE_LIMIT_SECONDS = 30;
    /** Channels the parked processes are spread over (each under the default limit of pending takes). */
    private static final int GATES = 10;
    /** The busiest threads a result lists by name. */
    private static final int LISTED_THREADS = 4;

    private IdleCpu() {
    }

    /** How settling went: how long it took, and whether the JIT and GC went quiet before the limit. */
    record Settling(double seconds, boolean quiet) {
    }

    /** The CPU time one thread used in the window. */
    public record ThreadCpu(String name, double cpuMillis) {
    }

    /**
     * One measurement: the backend (or {@code jvm-baseline}), the mode, how settling went, and the CPU
     * used while idle, in all and by whom.
     *
     * @param settleSeconds how long settling took
     * @param settled whether the JIT and GC were quiet for {@value #QUIET_MILLIS} ms before the limit
     * @param seconds the measured window
     * @param cpuMillis the process's CPU time in the window
     * @param dispatcherMillis the dispatcher's threads' CPU time in the window
     * @param dispatcherThreads how many dispatcher threads there were
     * @param otherJavaMillis the other Java threads' CPU time (this thread, the engine's, Vert.x's...)
     * @param jitMillis the JIT's compilation time in the window
     * @param collections GC collections in the window
     * @param busiest the Java threads that used the most CPU in the window, busiest first
     * @param busiestOs the threads of the process, Java's and the JVM's own, that used the most CPU
     *     in the window as the OS counts it ({@code /proc/self/task/TID/schedstat}, nanoseconds;
     *     names as the OS has them, at most 15 characters), busiest first; empty where there is no
     *     {@code /proc}
     */
    public record Result(String backend, String mode, int parked, double settleSeconds, boolean settled,
            double seconds, double cpuMillis, double dispatcherMillis, int dispatcherThreads,
            double otherJavaMillis, long jitMillis, long collections, List<ThreadCpu> busiest,
            List<ThreadCpu> busiestOs) {

        /** CPU time over wall time, in percent of one core. */
        public double percentOfCore() {
            return percent(cpuMillis);
        }

        /** The dispatcher's threads' CPU time over wall time, in percent of one core. */
        public double dispatcherPercentOfCore() {
            return percent(dispatcherMillis);
        }

        /**
         * The process's CPU time that no Java thread accounts for (JIT compiler, GC and VM threads), in
         * milliseconds; never below 0 (the process figure has a coarser resolution).
         */
        public double jvmInternalMillis() {
            return Math.max(0, cpuMillis - dispatcherMillis - otherJavaMillis);
        }

        private double percent(double millis) {
            return millis / (seconds * 1000) * 100;
        }

        String toJson() {
            return String.format(Locale.ROOT,
                    "{\"backend\":\"%s\",\"mode\":\"%s\",\"parked\":%d,\"settleSeconds\":%.1f,\"settled\":%b,"
                            + "\"seconds\":%.3f,\"cpuMs\":%.1f,\"percentOfCore\":%.3f,\"dispatcherMs\":%.1f,"
                            + "\"dispatcherPercentOfCore\":%.3f,\"dispatcherThreads\":%d,\"otherJavaMs\":%.1f,"
                            + "\"jvmInternalMs\":%.1f,\"jitMs\":%d,\"collections\":%d,\"busiest\":%s,\"busiestOs\":%s}",
                    backend, mode, parked, settleSeconds, settled, seconds, cpuMillis, percentOfCore(),
                    dispatcherMillis, dispatcherPercentOfCore(), dispatcherThreads, otherJavaMillis,
                    jvmInternalMillis(), jitMillis, collections, json(busiest), json(busiestOs));
        }

        private static String json(List<ThreadCpu> threads) {
            return threads.stream()
                    .map(t -> String.format(Locale.ROOT, "{\"name\":\"%s\",\"cpuMs\":%.1f}",
                            t.name().replace("\\", "\\\\").replace("\"", "\\\""), t.cpuMillis()))
                    .collect(Collectors.joining(",", "[", "]"));
        }
    }

    /**
     * Measures the baseline and every backend and writes the results to {@code args[0]}.
     *
     * @param args the output file, then optionally backends and, last, a number of idle seconds
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if no output file is given, or a backend is unknown
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: IdleCpu OUTPUT.jsonl [BACKEND...] [SECONDS]"
                    + " (e.g. idle-cpu.jsonl forkjoin vertx netty 5)");
        }
        List<String> backends = new ArrayList<>();
        int seconds = IDLE_SECONDS;
        for (int i = 1; i < args.length; i++) {
            if (args[i].matches("\\d+")) {
                seconds = Integer.parseInt(args[i]);
            } else {
                backends.add(args[i]);
            }
        }
        if (backends.isEmpty()) {
            backends = List.of("forkjoin", "vertx", "netty");
        }
        if (!ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure the CPU time of a thread"
                    + " (ThreadMXBean.isThreadCpuTimeSupported() is false): use a HotSpot JDK");
        }
        ManagementFactory.getThreadMXBean().setThreadCpuTimeEnabled(true);
        List<String> lines = new ArrayList<>();
        lines.add(report(baseline(seconds)));
        for (String backend : backends) {
            lines.add(report(idle(backend, "loop", seconds)));
        }
        Files.write(Path.of(args[0]), lines);
    }

    private static String report(Result r) {
        System.out.printf(Locale.ROOT,
                "%-12s %-7s %,6d parked, settled %s in %.1f s: %,7.1f ms CPU in %.1f s = %.2f%% of a core;"
                        + " dispatcher threads %,.1f ms (%.2f%%), other Java threads %,.1f ms, JVM internals"
                        + " %,.1f ms; JIT %d ms, %d GCs; busiest Java threads %s; busiest threads (OS) %s%n",
                r.backend(), r.mode(), r.parked(), r.settled() ? "yes" : "NO", r.settleSeconds(), r.cpuMillis(),
                r.seconds(), r.percentOfCore(), r.dispatcherMillis(), r.dispatcherPercentOfCore(),
                r.otherJavaMillis(), r.jvmInternalMillis(), r.jitMillis(), r.collections(), r.busiest(),
                r.busiestOs());
        return r.toJson();
    }

    /**
     * The JVM with nothing started: the floor of every backend's figure. The measuring code runs 100
     * times and a first, 1 s measurement is thrown away, so that the JIT compiles the measuring and
     * settling code now and not in a window (the backends' rows, measured later, find it compiled).
     */
    public static Result baseline(int seconds) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            threadCpu(ManagementFactory.getThreadMXBean());
            osThreadCpu();
        }
        measure("warm-up", "-", 0, settle(), 1, name -> false);
        return measure("jvm-baseline", "-", 0, settle(), seconds, name -> false);
    }

    /**
     * {@value #PARKED} processes parked on {@code backend} in {@code mode} after a ping-pong burst,
     * then settling and {@code seconds} of idleness.
     *
     * @throws IllegalArgumentException if {@code backend} or {@code mode} is unknown
     */
    public static Result idle(String backend, String mode, int seconds) throws InterruptedException {
        Predicate<String> ofDispatcher = dispatcherThreads(backend);
        Dispatcher d = Backend.open(backend);
        Csp.useDispatcher(d);
        Csp.useProcessMode(Backend.processMode(mode));
        List<Chan<Integer>> gates = new ArrayList<>();
        try {
            for (int g = 0; g < GATES; g++) {
                gates.add(chan());
            }
            AtomicInteger started = new AtomicInteger();
            CountDownLatch ended = new CountDownLatch(PARKED);
            for (int i = 0; i < PARKED; i++) {
                Chan<Integer> gate = gates.get(i % GATES);
                go(() -> {
                    started.incrementAndGet();
                    gate.take();
                    ended.countDown();
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (started.get() < PARKED) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + started.get() + " of " + PARKED + " started within 60 s");
                }
                Thread.sleep(10);
            }
            long sum = PingPongBenchmark.csp4j(BURST);
            if (sum != (long) BURST * (BURST - 1) / 2) {
                throw new IllegalStateException("ping-pong burst returned " + sum);
            }
            Result r = measure(backend, mode, PARKED, settle(), seconds, ofDispatcher);
            gates.forEach(Chan::close);
            if (!ended.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (PARKED - ended.getCount()) + " of " + PARKED
                        + " ended within 60 s");
            }
            return r;
        } finally {
            Csp.useDispatcher(null);
            d.close();
        }
    }

    /**
     * Which Java threads are {@code backend}'s, by name.
     *
     * @throws IllegalArgumentException for a backend not in {@link Backend#BACKENDS}
     */
    static Predicate<String> dispatcherThreads(String backend) {
        return switch (backend) {
            case "forkjoin", "forkjoin-1" -> name -> name.startsWith("csp4j-forkjoin-");
            case "vertx" -> name -> name.startsWith("vert.x-") || name.startsWith("vertx-");
            case "netty" -> name -> name.startsWith("csp4j-netty-");
            default -> throw new IllegalArgumentException("unknown backend '" + backend
                    + "': use one of forkjoin, forkjoin-1, vertx, netty");
        };
    }

    /**
     * The CPU time of the process and of each Java thread over {@code seconds} of this thread
     * sleeping, with the JIT's compilation time and the collections in the window.
     */
    private static Result measure(String backend, String mode, int parked, Settling settling, int seconds,
            Predicate<String> ofDispatcher) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jit0 = jitMillis(jit);
        long gc0 = collections();
        // The thread snapshots outside the process's window, Java's inside the OS's: reading them
        // costs this thread CPU, which the window should not hold.
        Map<String, ThreadCpu> osBefore = osThreadCpu();
        Map<Long, Long> before = threadCpu(threads);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        Map<Long, Long> after = threadCpu(threads);
        Map<String, ThreadCpu> osAfter = osThreadCpu();
        long jit1 = jitMillis(jit);
        long gc1 = collections();

        double dispatcher = 0;
        double other = 0;
        int dispatcherThreads = 0;
        List<ThreadCpu> used = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(after.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info == null) {
                continue; // ended meanwhile
            }
            double ms = (after.get(info.getThreadId()) - before.getOrDefault(info.getThreadId(), 0L)) / 1e6;
            if (ofDispatcher.test(info.getThreadName())) {
                dispatcher += ms;
                dispatcherThreads++;
            } else {
                other += ms;
            }
            if (ms > 0) {
                used.add(new ThreadCpu(info.getThreadName(), ms));
            }
        }
        List<ThreadCpu> usedOs = new ArrayList<>();
        osAfter.forEach((tid, t) -> {
            ThreadCpu b = osBefore.get(tid);
            double ms = t.cpuMillis() - (b == null ? 0 : b.cpuMillis());
            if (ms > 0) {
                usedOs.add(new ThreadCpu(t.name(), ms));
            }
        });
        return new Result(backend, mode, parked, settling.seconds(), settling.quiet(),
                (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e6, dispatcher, dispatcherThreads, other, jit1 - jit0,
                gc1 - gc0, busiest(used), busiest(usedOs));
    }

    /** The {@value #LISTED_THREADS} busiest of {@code used}, busiest first. */
    private static List<ThreadCpu> busiest(List<ThreadCpu> used) {
        return used.stream().sorted(Comparator.comparingDouble(ThreadCpu::cpuMillis).reversed())
                .limit(LISTED_THREADS).toList();
    }

    /**
     * Every thread of the process as the OS sees it (Linux: {@code /proc/self/task/TID/comm} and the
     * first field of {@code schedstat}, nanoseconds on a CPU), by TID; empty where that cannot be read.
     */
    private static Map<String, ThreadCpu> osThreadCpu() {
        Map<String, ThreadCpu> cpu = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return cpu;
        }
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String ns = Files.readString(task.resolve("schedstat")).strip().split("\\s+")[0];
                    cpu.put(task.getFileName().toString(), new ThreadCpu(name, Long.parseLong(ns) / 1e6));
                } catch (IOException | RuntimeException ended) {
                    // The thread ended meanwhile, or the kernel has no schedstat: leave it out.
                }
            }
        } catch (IOException e) {
            cpu.clear();
        }
        return cpu;
    }

    /** The CPU time so far of every live Java platform thread, in nanoseconds, by thread id. */
    private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long ns = threads.getThreadCpuTime(id);
            if (ns >= 0) {
                cpu.put(id, ns);
            }
        }
        return cpu;
    }

    /**
     * Lets the JIT and GC go quiet: one {@code System.gc()}, then waits until neither the JIT's total
     * compilation time nor any collector's count has changed for {@value #QUIET_MILLIS} ms, for at most
     * {@value #SETTLE_LIMIT_SECONDS} s.
     *
     * @return how long it took and whether it went quiet
     */
    private static Settling settle() throws InterruptedException {
        long start = System.nanoTime();
        long limit = start + TimeUnit.SECONDS.toNanos(SETTLE_LIMIT_SECONDS);
        System.gc();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMs = jitMillis(jit);
        long gcs = collections();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            if (System.nanoTime() > limit) {
                return new Settling((System.nanoTime() - start) / 1e9, false);
            }
            Thread.sleep(SAMPLE_MILLIS);
            long j = jitMillis(jit);
            long g = collections();
            if (j != jitMs || g != gcs) {
                jitMs = j;
                gcs = g;
                quietSince = System.nanoTime();
            }
        }
        return new Settling((System.nanoTime() - start) / 1e9, true);
    }

    /** The JIT's total compilation time so far, in milliseconds; 0 without a JIT or its monitoring. */
    private static long jitMillis(CompilationMXBean jit) {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Collections so far, summed over the collectors. */
    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
