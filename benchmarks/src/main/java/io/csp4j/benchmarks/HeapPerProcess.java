package io.csp4j.benchmarks;

import static io.csp4j.Csp.go;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.benchmarks.peers.KotlinPeers;
import io.csp4j.spi.Dispatcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * W5's second half: heap per parked process. For each csp4j backend and mode, and for a JDK
 * virtual thread and a kotlinx coroutine, parks N of them (100,000 and 1,000,000 by default) on one
 * channel that never gets a value, and divides the growth of the used heap (after full GCs,
 * {@code MemoryMXBean}) by N; then closes the channel and waits for all to end. The figure includes
 * everything a parked process keeps alive: its continuation or stack, its result channel, its
 * parked take. On the default (forkjoin, loop) it also writes where those bytes are: a class
 * histogram taken before and after, the classes that grew most per parked process.
 *
 * <p>Run by {@code benchmarks/bench} in a JVM of its own ({@code -Xmx6g}, the loop-mode option);
 * arguments: the output file (JSON lines, one object per measurement) and optionally the sizes.
 *
 * {@snippet :
 * // java -Xmx6g --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp ... \
 * //     io.csp4j.benchmarks.HeapPerProcess target/heap.jsonl 100000 1000000
 * }
 */
public final class HeapPerProcess {

    /** Processes parked and released in each round of the warm-up. */
    static final int WARM_UP_PROCESSES = 50_000;
    /** The warm-up ends after this many rounds in a row without JIT compilation time... */
    static final int QUIET_ROUNDS = 3;
    /** ...but not before this many rounds... */
    static final int MIN_WARM_UP_ROUNDS = 5;
    /** ...and at the latest after this many. */
    static final int MAX_WARM_UP_ROUNDS = 100;

    /** One round of a warm-up. */
    @FunctionalInterface
    private interface Round {
        void run() throws InterruptedException;
    }

    private HeapPerProcess() {
    }

    /**
     * One measurement: what was parked, how many, and the heap per parked one; for the default
     * (forkjoin, loop) also where those bytes are: the classes whose instances grew most, in bytes per
     * parked process (a class histogram before and after), largest first; empty otherwise.
     */
    public record Result(String subject, String backend, String mode, int processes, int warmUpRounds,
            double bytesPerProcess, List<Map.Entry<String, Double>> breakdown) {

        Result(String subject, String backend, String mode, int processes, int warmUpRounds, double bytesPerProcess) {
            this(subject, backend, mode, processes, warmUpRounds, bytesPerProcess, List.of());
        }

        String toJson() {
            StringBuilder classes = new StringBuilder();
            for (Map.Entry<String, Double> e : breakdown) {
                classes.append(classes.isEmpty() ? "" : ",")
                        .append(String.format(Locale.ROOT, "[\"%s\",%.1f]", e.getKey(), e.getValue()));
            }
            return String.format(Locale.ROOT,
                    "{\"subject\":\"%s\",\"backend\":\"%s\",\"mode\":\"%s\",\"processes\":%d,\"warmUpRounds\":%d,"
                            + "\"bytesPerProcess\":%.1f,\"breakdown\":[%s]}",
                    subject, backend, mode, processes, warmUpRounds, bytesPerProcess, classes);
        }
    }

    /**
     * Measures every subject at every size and writes the results to {@code args[0]}.
     *
     * @param args the output file, then the sizes (default 100000 1000000)
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: HeapPerProcess OUTPUT.jsonl [N...] (e.g. heap.jsonl 100000 1000000)");
        }
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000, 1_000_000);
        }
        List<String> lines = new ArrayList<>();
        for (int n : sizes) {
            for (String backend : Backend.BACKENDS) {
                for (String mode : List.of("loop", "virtual")) {
                    lines.add(report(csp4j(backend, mode, n)));
                }
            }
            lines.add(report(virtualThreads(n)));
            lines.add(report(kotlin(n)));
        }
        Files.write(Path.of(args[0]), lines);
    }

    private static String report(Result r) {
        System.out.printf(Locale.ROOT, "%-8s %-11s %-8s %,10d parked: %,8.0f bytes each (after %d warm-up rounds)%n",
                r.subject(), r.backend(), r.mode(), r.processes(), r.bytesPerProcess(), r.warmUpRounds());
        return r.toJson();
    }

    /** Heap per csp4j process parked on a take, on {@code backend} in {@code mode}. */
    public static Result csp4j(String backend, String mode, int n) throws InterruptedException {
        Dispatcher d = Backend.open(backend);
        Csp.useDispatcher(d);
        Csp.useProcessMode(Backend.processMode(mode));
        try {
            int rounds = warmUp(() -> parkCsp4j(Math.min(n, WARM_UP_PROCESSES), false, false));
            Measured m = parkCsp4j(n, true, backend.equals("forkjoin") && mode.equals("loop"));
            return new Result("csp4j", backend, mode, n, rounds, m.bytesPerProcess(), m.breakdown());
        } finally {
            Csp.useDispatcher(null);
            d.close();
        }
    }

    /** What a measuring round found: the heap per parked process and, if asked for, where it is. */
    private record Measured(double bytesPerProcess, List<Map.Entry<String, Double>> breakdown) {}

    /**
     * Parks {@code n} processes on one channel, then releases them and waits for all to end: the
     * warm-up and the measurement run this same code (so the same compiled frames).
     *
     * @param measure whether to measure the heap (false: a warm-up round, which returns null)
     * @param breakDown whether to take class histograms too
     */
    private static Measured parkCsp4j(int n, boolean measure, boolean breakDown) throws InterruptedException {
        // A channel takes at most 1024 pending takes by default: raise the limit for the gate.
        Chan<Integer> gate = Csp.<Integer>chanBuilder().maxPending(n).named("gate").build();
        AtomicInteger started = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(n);
        long before = measure ? usedHeap() : 0;
        Map<String, Long> classesBefore = breakDown ? classHistogram() : Map.of();
        for (int i = 0; i < n; i++) {
            go(() -> {
                started.incrementAndGet();
                gate.take();
                ended.countDown();
            });
        }
        Measured m = null;
        if (measure) {
            long after = usedHeapOnceStarted(started, n);
            m = new Measured((after - before) / (double) n,
                    breakDown ? growth(classesBefore, classHistogram(), n) : List.of());
        } else {
            awaitStarted(started, n);
        }
        gate.close();
        awaitAll(ended, n);
        return m;
    }

    /** Heap per JDK virtual thread blocked on a {@code SynchronousQueue.take}. */
    public static Result virtualThreads(int n) throws InterruptedException {
        int rounds = warmUp(() -> parkVirtualThreads(Math.min(n, WARM_UP_PROCESSES), false));
        return new Result("jdk-virtual-thread", "-", "-", n, rounds, parkVirtualThreads(n, true));
    }

    /** Parks {@code n} virtual threads and releases them; returns the heap per parked one if {@code measure}, else 0. */
    private static double parkVirtualThreads(int n, boolean measure) throws InterruptedException {
        SynchronousQueue<Integer> gate = new SynchronousQueue<>();
        AtomicInteger started = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(n);
        long before = measure ? usedHeap() : 0;
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                started.incrementAndGet();
                try {
                    gate.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ended.countDown();
            });
        }
        double each = 0;
        if (measure) {
            each = (usedHeapOnceStarted(started, n) - before) / (double) n;
        } else {
            awaitStarted(started, n);
        }
        for (int i = 0; i < n; i++) {
            gate.put(0);
        }
        awaitAll(ended, n);
        return each;
    }

    /** Heap per kotlinx coroutine suspended in {@code receive} (on {@code Dispatchers.Default}). */
    public static Result kotlin(int n) throws InterruptedException {
        int rounds = warmUp(() -> KotlinPeers.parkCoroutines(Math.min(n, WARM_UP_PROCESSES)).run());
        long before = usedHeap();
        Runnable release = KotlinPeers.parkCoroutines(n);
        Thread.sleep(300);
        long after = usedHeap();
        release.run();
        return new Result("kotlinx-coroutine", "Dispatchers.Default", "-", n, rounds, (after - before) / (double) n);
    }

    /**
     * Runs {@code round} until the JIT has settled (see the class comment).
     *
     * @return how many rounds ran
     */
    private static int warmUp(Round round) throws InterruptedException {
        var jit = ManagementFactory.getCompilationMXBean();
        long compiled = jit.getTotalCompilationTime();
        int rounds = 0;
        int quiet = 0;
        while (rounds < MAX_WARM_UP_ROUNDS && (rounds < MIN_WARM_UP_ROUNDS || quiet < QUIET_ROUNDS)) {
            round.run();
            rounds++;
            long now = jit.getTotalCompilationTime();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
        return rounds;
    }

    private static long usedHeapOnceStarted(AtomicInteger started, int n) throws InterruptedException {
        awaitStarted(started, n);
        Thread.sleep(300); // the last ones reach their park
        return usedHeap();
    }

    private static void awaitStarted(AtomicInteger started, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (started.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + started.get() + " of " + n + " started within 120 s");
            }
            Thread.sleep(1);
        }
    }

    private static void awaitAll(CountDownLatch ended, int n) throws InterruptedException {
        if (!ended.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (n - ended.getCount()) + " of " + n + " ended within 120 s");
        }
    }

    /** Bytes of live instances per class, from the JVM's class histogram (a full collection first). */
    static Map<String, Long> classHistogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the class histogram (DiagnosticCommand gcClassHistogram) failed", e);
        }
        Map<String, Long> bytes = new HashMap<>();
        for (String line : text.split("\n")) {
            // "   1:       1000000      400000000  jdk.internal.vm.StackChunk (java.base@25)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                bytes.put(f[3], Long.parseLong(f[2]));
            }
        }
        return bytes;
    }

    /** The six classes whose bytes grew most from {@code before} to {@code after}, per process. */
    private static List<Map.Entry<String, Double>> growth(Map<String, Long> before, Map<String, Long> after, int n) {
        List<Map.Entry<String, Double>> grown = new ArrayList<>();
        after.forEach((type, b) -> {
            double each = (b - before.getOrDefault(type, 0L)) / (double) n;
            if (each >= 1) {
                grown.add(Map.entry(type, each));
            }
        });
        grown.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return List.copyOf(grown.subList(0, Math.min(6, grown.size())));
    }

    /** The used heap after full collections. */
    static long usedHeap() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
