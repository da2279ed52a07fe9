package io.csp4j;

import java.time.Duration;
import java.util.List;

/**
 * One live process as {@link Diagnostics#processes()} saw it: a snapshot, out of date as soon as it
 * is taken (the process may have moved on). Immutable and thread-safe.
 *
 * {@snippet :
 * for (ProcessInfo p : Diagnostics.processes()) {
 *     if (p.state() == ProcessInfo.State.PARKED && p.parkedFor().toSeconds() > 10) {
 *         System.out.println(p);   // process#7 "worker" PARKED 12.0 s in take() on orders[unbuffered, 1 take pending]
 *     }
 * }
 * }
 *
 * @param id a number unique among this JVM's processes
 * @param name the name given at start, or {@code null}
 * @param mode loop (a continuation on a lane) or virtual (a virtual thread)
 * @param state what it was doing
 * @param operation when parked: {@code "take()"}, {@code "put()"}, {@code "alts()"} or {@code "await()"}
 *     ({@code sleep} is a take on a {@code timeout} channel); else {@code null}
 * @param parkedOn when parked: the channel as its {@code toString()} shows it (name, buffer, pending
 *     operations), the {@code alts} operations, or the awaited stage; else {@code null}
 * @param parkedFor when parked: for how long so far; else {@code null}
 * @param scope the scope it was started in, or {@code null}
 * @param cancelled whether it was cancelled
 * @param stack its frames, innermost first (empty when not collected: {@link Diagnostics#processes()}
 *     leaves them out; a lane that did not answer in time)
 * @param startedAt where it was started, innermost first, when {@code -Dcsp4j.startSites=true} (or
 *     {@link Diagnostics#recordStartSites}) was on at its start; else empty
 */
public record ProcessInfo(long id, String name, ProcessMode mode, State state, String operation, String parkedOn,
                          Duration parkedFor, String scope, boolean cancelled, List<StackTraceElement> stack,
                          List<StackTraceElement> startedAt) {

    /** What a process is doing. */
    public enum State {
        /** A step of it runs on its lane thread now (loop mode), or its virtual thread is not parked. */
        RUNNING,
        /** Parked in a channel operation, {@code alts}, {@code sleep} or {@code await}. */
        PARKED,
        /** Loop mode: ready to run (started or resumed), its next step queued on its lane. */
        WAITING_FOR_LANE
    }

    /**
     * A block of the dump: a header line (id, name, state, what and how long it is parked on, scope),
     * then the stack and the start site, one frame per line.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("process#").append(id);
        if (name != null) {
            sb.append(" \"").append(name).append('"');
        }
        sb.append(' ').append(state);
        if (state == State.PARKED) {
            sb.append(' ').append(String.format(java.util.Locale.ROOT, "%.1f s", parkedFor.toNanos() / 1e9))
                    .append(" in ").append(operation);
            if (parkedOn != null) {
                sb.append(" on ").append(parkedOn);
            }
        }
        sb.append(" (").append(mode.name().toLowerCase(java.util.Locale.ROOT)).append(" mode");
        if (scope != null) {
            sb.append(", scope ").append(scope);
        }
        if (cancelled) {
            sb.append(", cancelled");
        }
        sb.append(')');
        for (StackTraceElement f : stack) {
            sb.append("\n\tat ").append(f);
        }
        if (!startedAt.isEmpty()) {
            sb.append("\n\tstarted at ").append(startedAt.get(0));
            for (StackTraceElement f : startedAt.subList(1, startedAt.size())) {
                sb.append("\n\t           ").append(f);
            }
        }
        return sb.toString();
    }
}
