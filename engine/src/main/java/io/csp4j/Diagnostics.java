package io.csp4j;

import io.csp4j.internal.LaneWatchdog;
import io.csp4j.internal.ProcessRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Seeing what the processes are doing: the first question in every deadlock or leak.
 *
 * <ul>
 *   <li>{@link #processes()} / {@link #dump()}: the live processes, with id, name, state (running,
 *       parked, waiting for its lane), the operation and channel each is parked on and since when,
 *       its scope and its stack; also over JMX ({@link ProcessesMXBean}, {@value ProcessesMXBean#OBJECT_NAME})
 *       and in {@code ./run jshell} ({@code dump()}).</li>
 *   <li>JFR events {@code csp4j.ProcessParked} (longer than 20 ms by default),
 *       {@code csp4j.PendingLimitReached} and {@code csp4j.ProcessFailed}: start a recording
 *       ({@code -XX:StartFlightRecording} or {@code jcmd PID JFR.start}) and read it with {@code jfr print}.</li>
 *   <li>The blocked-lane warning (loop mode): a step that runs longer than
 *       {@code -Dcsp4j.blockedLaneMillis} (default 1000; 0: off) is logged at WARNING on the
 *       {@code io.csp4j} System.Logger, with the process and the lane thread's stack.</li>
 *   <li>The leak report (loop mode): a process parked on channels that nobody can reach any more
 *       can never resume; once the GC has found it, it is logged once at WARNING, with what it was
 *       parked on, and where it was started when {@code -Dcsp4j.startSites=true}.</li>
 * </ul>
 *
 * <p>A process is listed from its first park (or while a step of it runs), or from its start when
 * start sites are recorded. The registry holds processes weakly: it never keeps one alive. All
 * methods are thread-safe and never park.
 */
public final class Diagnostics {

    /** How long {@link #dump()} waits for a lane to walk its parked processes' stacks. */
    private static final Duration LANE_WAIT = Duration.ofSeconds(2);

    private Diagnostics() {}

    /**
     * The live processes now, without stacks (cheap: no lane is asked anything), ordered by id.
     * Safe from any thread, also from inside a go block; never blocks.
     *
     * {@snippet :
     * long parked = Diagnostics.processes().stream()
     *         .filter(p -> p.state() == ProcessInfo.State.PARKED).count();
     * }
     *
     * @return a new, unmodifiable snapshot
     */
    public static List<ProcessInfo> processes() {
        return List.copyOf(ProcessRegistry.snapshot(false, Duration.ZERO));
    }

    /**
     * The live processes now with their stacks, ordered by id. A parked loop-mode process's stack is
     * walked on its own lane (where it cannot resume meanwhile), so this waits up to {@code wait} for
     * each busy lane; a lane that does not answer in time (blocked by a go block) leaves its
     * processes' stacks empty. Called on a dispatcher thread it never waits: stacks of parked
     * loop-mode processes are then left out.
     *
     * @param wait the longest wait for the lanes, e.g. {@code Duration.ofSeconds(2)}
     * @return a new, unmodifiable snapshot
     * @throws NullPointerException if {@code wait} is null
     */
    public static List<ProcessInfo> processesWithStacks(Duration wait) {
        Objects.requireNonNull(wait, "wait");
        return List.copyOf(ProcessRegistry.snapshot(true, wait));
    }

    /**
     * The dump: a header, then every live process as {@link ProcessInfo#toString()} shows it (stacks
     * included), separated by blank lines, like a thread dump.
     *
     * {@snippet :
     * System.out.println(Diagnostics.dump());
     * // csp4j: 2 processes (loop mode)
     * //
     * // process#1 "worker" PARKED 3.2 s in take() on orders[unbuffered, 1 take pending] (loop mode)
     * //     at ...
     * }
     *
     * @return the dump as text
     */
    public static String dump() {
        List<ProcessInfo> all = ProcessRegistry.snapshot(true, LANE_WAIT);
        StringBuilder sb = new StringBuilder("csp4j: ").append(all.size()).append(all.size() == 1 ? " process" : " processes")
                .append(" (").append(Csp.processMode().name().toLowerCase(java.util.Locale.ROOT)).append(" mode)");
        for (ProcessInfo p : all) {
            sb.append("\n\n").append(p);
        }
        return sb.append('\n').toString();
    }

    /**
     * Records where each process started from now on is started ({@link ProcessInfo#startedAt()},
     * and in the leak report); the same as {@code -Dcsp4j.startSites=true}. It costs a stack
     * capture per {@code go(...)} (see the README for the measured cost), so it is a debugging aid.
     *
     * @param on true to record, false to stop
     */
    public static void recordStartSites(boolean on) {
        ProcessRegistry.recordStartSites(on);
    }

    /**
     * Sends every blocked-lane warning and leak report also to {@code listener} (the message, with
     * the stack one frame per line), besides the log; {@code null} removes it. For alerting, and for
     * tests. The listener runs on csp4j's watchdog thread: it must return quickly and not park.
     *
     * {@snippet :
     * Diagnostics.setWarningListener(msg -> metrics.counter("csp4j.warnings").increment());
     * }
     *
     * @param listener the listener, or {@code null}
     */
    public static void setWarningListener(Consumer<String> listener) {
        LaneWatchdog.setListener(listener);
        ProcessRegistry.setLeakListener(listener);
    }

    /** The blocked-lane threshold now, in milliseconds ({@code -Dcsp4j.blockedLaneMillis}; 0: off). */
    public static long blockedLaneMillis() {
        return LaneWatchdog.thresholdMillis();
    }
}
