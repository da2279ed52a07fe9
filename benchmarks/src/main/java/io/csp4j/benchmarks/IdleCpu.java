package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.spi.Dispatcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU an idle program burns. For each backend in loop mode ({@value #PARKED} processes parked on
 * takes from channels that never get a value, after a ping-pong burst of {@value #BURST} round
 * trips that leaves the lanes just busy), measures the process's CPU time
 * ({@code com.sun.management.OperatingSystemMXBean.getProcessCpuTime}) over {@value #IDLE_SECONDS} s
 * of idleness and reports it as percent of one core. A first line, {@code jvm-baseline}, measures the
 * same JVM with no dispatcher at all (JIT and GC threads, this thread's sleeps), which bounds how low
 * any backend can go.
 *
 * <p>Run by {@code benchmarks/bench} in a JVM of its own (the loop-mode option); argument: the output
 * file (JSON lines, one object per backend), then optionally the backends (default forkjoin, vertx,
 * netty) and the idle seconds.
 *
 * {@snippet :
 * // java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp ... \
 * //     io.csp4j.benchmarks.IdleCpu target/idle-cpu.jsonl forkjoin vertx netty
 * }
 */
public final class IdleCpu {

    /** Processes parked while the program is idle. */
    public static final int PARKED = 1_000;
    /** Round trips of the ping-pong burst just before the idle window. */
    public static final int BURST = 20_000;
    /** Seconds of idleness measured. */
    public static final int IDLE_SECONDS = 5;
    /** Channels the parked processes are spread over (each under the default limit of pending takes). */
    private static final int GATES = 10;

    private IdleCpu() {
    }

    /** One measurement: the backend (or {@code jvm-baseline}), the mode, and the CPU it used while idle. */
    public record Result(String backend, String mode, int parked, double seconds, double cpuMillis) {

        /** CPU time over wall time, in percent of one core. */
        public double percentOfCore() {
            return cpuMillis / (seconds * 1000) * 100;
        }

        String toJson() {
            return String.format(Locale.ROOT,
                    "{\"backend\":\"%s\",\"mode\":\"%s\",\"parked\":%d,\"seconds\":%.3f,\"cpuMs\":%.1f,"
                            + "\"percentOfCore\":%.3f}",
                    backend, mode, parked, seconds, cpuMillis, percentOfCore());
        }
    }

    /**
     * Measures the baseline and every backend and writes the results to {@code args[0]}.
     *
     * @param args the output file, then optionally backends and, last, a number of idle seconds
     * @throws IOException if the file cannot be written
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
        List<String> lines = new ArrayList<>();
        lines.add(report(baseline(seconds)));
        for (String backend : backends) {
            lines.add(report(idle(backend, "loop", seconds)));
        }
        Files.write(Path.of(args[0]), lines);
    }

    private static String report(Result r) {
        System.out.printf(Locale.ROOT, "%-12s %-7s %,6d parked: %,8.1f ms CPU in %.1f s = %.2f%% of a core%n",
                r.backend(), r.mode(), r.parked(), r.cpuMillis(), r.seconds(), r.percentOfCore());
        return r.toJson();
    }

    /** The JVM with nothing started: the floor of every backend's figure. */
    public static Result baseline(int seconds) throws InterruptedException {
        settle();
        return measure("jvm-baseline", "-", 0, seconds);
    }

    /**
     * {@value #PARKED} processes parked on {@code backend} in {@code mode} after a ping-pong burst,
     * then {@code seconds} of idleness.
     */
    public static Result idle(String backend, String mode, int seconds) throws InterruptedException {
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
            Result r = measure(backend, mode, PARKED, seconds);
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

    /** The process CPU time over {@code seconds} of this thread sleeping. */
    private static Result measure(String backend, String mode, int parked, int seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        return new Result(backend, mode, parked, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e6);
    }

    /** Lets start-up work (class loading, the JIT's first compilations) end before the baseline. */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(1_000);
    }
}
