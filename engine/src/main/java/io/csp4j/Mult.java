package io.csp4j;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Overview of implementation (core.async's mult, on the public API)
 *
 * One distributing process per mult:
 *
 *   loop: v = source.take()
 *         null  -> close every tap registered with close = true; end
 *         value -> snapshot the taps; putAsync(v) on each; wait (on `done`, buffer 1) until every
 *                  put completed; a put that returns false (tap closed) untaps that tap
 *
 * So every tap sees every value, in order, and the next value is taken only when all taps accepted
 * the current one: the slowest tap sets the pace (core.async semantics; give a tap a buffer, or a
 * sliding/dropping one, to decouple it). With no tap, a value is taken and dropped. A tap added
 * while a value is being distributed receives the next value on. Each tap has at most one pending
 * put from the mult, so the pending-operation limit is never reached.
 *
 * Taps live in a ConcurrentHashMap (tap -> close flag): tap/untap are safe from any thread and
 * never wait.
 */

/**
 * A mult(iple) of a source channel: every value taken from the source is put on every tap.
 * core.async {@code mult}, {@code tap}, {@code untap}, {@code untap-all}. Create one with
 * {@link #of(ReadPort)} (or {@code Csp.mult(ch)}).
 *
 * <ul>
 *   <li>Every tap receives every value, in source order; the next value waits until every tap has
 *       accepted the current one, so a slow tap holds the others back (buffer it to avoid that).</li>
 *   <li>A tap that is closed is removed when a put on it fails; the others keep being served.</li>
 *   <li>With no taps, values are taken and dropped.</li>
 *   <li>When the source closes, the taps added with {@code close = true} are closed.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and never wait. Do not take from the source yourself: the mult owns it.
 *
 * {@snippet :
 * Mult<String> m = Mult.of(events);
 * Chan<String> log = m.tap(chan(100));
 * Chan<String> ui = m.tap(chan(Buffers.sliding(1)));
 * }
 *
 * @param <T> the value type
 */
public final class Mult<T> {

    private final ReadPort<? extends T> source;
    /** The taps and, for each, whether to close it when the source closes. */
    private final Map<WritePort<? super T>, Boolean> taps = new ConcurrentHashMap<>();

    private Mult(ReadPort<? extends T> source) {
        this.source = source;
    }

    /**
     * Creates a mult of {@code source} and starts distributing its values.
     *
     * @throws NullPointerException if {@code source} is null
     */
    public static <T> Mult<T> of(ReadPort<? extends T> source) {
        Mult<T> m = new Mult<>(Objects.requireNonNull(source, "source"));
        m.start();
        return m;
    }

    /** The source channel. */
    public ReadPort<? extends T> source() {
        return source;
    }

    /**
     * Adds {@code ch} as a tap, closed when the source closes. Adding a tap again only updates its
     * close flag.
     *
     * @return {@code ch}
     * @throws NullPointerException if {@code ch} is null
     */
    public <W extends WritePort<? super T>> W tap(W ch) {
        return tap(ch, true);
    }

    /**
     * Adds {@code ch} as a tap; it receives the values taken from the source from now on.
     *
     * {@snippet :
     * m.tap(audit, false); // audit stays open after the source closes
     * }
     *
     * @param close whether to close {@code ch} when the source closes
     * @return {@code ch}
     * @throws NullPointerException if {@code ch} is null
     */
    public <W extends WritePort<? super T>> W tap(W ch, boolean close) {
        taps.put(Objects.requireNonNull(ch, "ch"), close);
        return ch;
    }

    /** Removes {@code ch} (a value already being put on it may still arrive); unknown channels are ignored. */
    public void untap(WritePort<? super T> ch) {
        if (ch != null) {
            taps.remove(ch);
        }
    }

    /** Removes every tap. */
    public void untapAll() {
        taps.clear();
    }

    /** The current taps, a snapshot. */
    public List<WritePort<? super T>> taps() {
        return List.copyOf(taps.keySet());
    }

    private void start() {
        Chan<Boolean> done = chan(1);
        go(() -> {
            for (T v = source.take(); v != null; v = source.take()) {
                List<Map.Entry<WritePort<? super T>, Boolean>> snapshot = List.copyOf(taps.entrySet());
                if (snapshot.isEmpty()) {
                    continue; // no taps: dropped
                }
                AtomicInteger remaining = new AtomicInteger(snapshot.size());
                for (Map.Entry<WritePort<? super T>, Boolean> e : snapshot) {
                    WritePort<? super T> tap = e.getKey();
                    Runnable accepted = () -> {
                        if (remaining.decrementAndGet() == 0) {
                            done.offer(Boolean.TRUE);
                        }
                    };
                    try {
                        tap.putAsync(v, ok -> {
                            if (!ok) {
                                taps.remove(tap); // closed tap: removed (MultTest.closedTapIsRemovedOthersServed)
                            }
                            accepted.run();
                        });
                    } catch (RuntimeException failure) { // e.g. the tap's pending-put limit: drop it, go on
                        taps.remove(tap);
                        Pipelines.report(failure);
                        accepted.run();
                    }
                }
                done.take();
            }
            for (Map.Entry<WritePort<? super T>, Boolean> e : List.copyOf(taps.entrySet())) {
                if (e.getValue()) {
                    e.getKey().close();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "Mult[" + source + ", taps=" + taps.size() + "]";
    }
}
