package io.csp4j;

import static io.csp4j.Csp.altsPriority;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.takeOp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/*
 * Overview of implementation
 *
 * core.async's mix is one process doing `alts!` over all inputs plus a "changed" channel. Over
 * thousands of inputs that costs O(inputs) per value, so this mix has one small process per input
 * and one pump, and never more than one pending operation per channel:
 *
 *   input process (one per mixed channel), loop:
 *     if not readable (paused, or not soloed in PAUSE solo mode): wait on its `ctl` channel
 *     altsPriority(take ctl, take input)     -- ctl (sliding(1)) wakes it on toggle/unmix/stop;
 *                                               alts cancels the losing take, so nothing is stolen
 *     input closed (null) -> remove it from the mix; end
 *     value -> offer (input, value) to `ready` (unbounded); wait for the pump's ack
 *
 *   pump (one), loop:
 *     (input, value) = ready.take()
 *     deliverable (soloed, or no solos and not muted)?  out.put(value) : drop (muted)
 *     out.put false (out closed) -> STOPPED: close `ready` and every ack, wake every input; end
 *     ack the input (it may read its next value)
 *
 * Invariants: each input has at most one value in flight, so per-input order is kept and `ready`
 * holds at most one entry per input (round-robin fairness among busy inputs); each input channel
 * carries at most one pending take from the mix, `out` at most one pending put (the pump), so the
 * 1024 pending-operation limit is never reached whatever the number of inputs (MixTest.twoThousand
 * FortyEightInputs). Flags are read under the mix's lock; a value already read keeps being
 * delivered by the flags at pump time.
 *
 * Flag semantics (core.async):  readable(ch)    = soloMode == PAUSE && anySolo ? solo(ch) : !pause(ch)
 *                               deliverable(ch) = solo(ch) || (!anySolo && !mute(ch))
 */

/**
 * Mixes many input channels into one output channel, with per-input mute, pause and solo.
 * core.async {@code mix}, {@code admix}, {@code unmix}, {@code unmix-all}, {@code toggle},
 * {@code solo-mode}. Create one with {@link #of(WritePort)} (or {@code Csp.mix(out)}).
 *
 * <ul>
 *   <li>{@link Flag#MUTE}: the input is still read, but its values are dropped.</li>
 *   <li>{@link Flag#PAUSE}: the input is not read (its values stay in it).</li>
 *   <li>{@link Flag#SOLO}: when any input is soloed, only soloed inputs are delivered; the others are
 *       muted or paused according to {@link #soloMode(Flag)} (default {@code MUTE}).</li>
 *   <li>An input that closes is removed from the mix; the output is never closed by the mix. When
 *       the output is closed, the mix stops (the value in hand is dropped) and reads nothing more.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and never wait. Values of one input reach the output in order;
 * busy inputs are served round-robin.
 *
 * {@snippet :
 * Mix<String> m = Mix.of(speakers);
 * m.admix(radio);
 * m.admix(announcements);
 * m.toggle(announcements, Map.of(Mix.Flag.SOLO, true)); // only announcements are heard
 * }
 *
 * @param <T> the value type
 */
public final class Mix<T> {

    /** Per-input flags. */
    public enum Flag {
        /** Read the input but drop its values. */
        MUTE,
        /** Do not read the input. */
        PAUSE,
        /** Deliver only soloed inputs while any is soloed. */
        SOLO
    }

    /** One mixed input: its flags (guarded by the mix) and the channels its process waits on. */
    private static final class Input<T> {
        final ReadPort<? extends T> channel;
        /** Wakes the input process when its flags change, it is unmixed, or the mix stops. */
        final Chan<Boolean> ctl = chan(Buffers.sliding(1));
        /** The pump's acknowledgement that the value in flight was handled; closed on stop. */
        final Chan<Boolean> ack = chan(1);
        boolean solo;
        boolean mute;
        boolean pause;
        /** Unmixed, or closed: its process ends. */
        boolean removed;

        Input(ReadPort<? extends T> channel) {
            this.channel = channel;
        }
    }

    /** A value read from an input, waiting for the pump. */
    private record Delivery<T>(Input<T> input, T value) {}

    private final WritePort<? super T> out;
    private final Chan<Delivery<T>> ready = chan(Buffers.unbounded());
    private final Map<ReadPort<? extends T>, Input<T>> inputs = new LinkedHashMap<>();
    private Flag soloMode = Flag.MUTE;
    private int soloCount;
    /** The output closed: nothing more is read. */
    private boolean stopped;

    private Mix(WritePort<? super T> out) {
        this.out = out;
    }

    /**
     * Creates a mix writing to {@code out} and starts its pump.
     *
     * @throws NullPointerException if {@code out} is null
     */
    public static <T> Mix<T> of(WritePort<? super T> out) {
        Mix<T> m = new Mix<>(Objects.requireNonNull(out, "out"));
        go(m::pump);
        return m;
    }

    /** The output channel. */
    public WritePort<? super T> out() {
        return out;
    }

    /**
     * Adds {@code ch} to the mix with no flags set (an input already mixed has its flags cleared).
     *
     * {@snippet :
     * mix.admix(chan);
     * }
     *
     * @throws NullPointerException if {@code ch} is null
     */
    public void admix(ReadPort<? extends T> ch) {
        Objects.requireNonNull(ch, "ch");
        update(ch, Map.of(Flag.SOLO, false, Flag.MUTE, false, Flag.PAUSE, false));
    }

    /** Removes {@code ch} from the mix; a value of it already read is still delivered. Unknown channels are ignored. */
    public void unmix(ReadPort<? extends T> ch) {
        if (ch == null) {
            return;
        }
        synchronized (this) {
            Input<T> in = inputs.get(ch);
            if (in != null) {
                remove(in);
            }
        }
    }

    /** Removes every input. */
    public void unmixAll() {
        synchronized (this) {
            for (Input<T> in : List.copyOf(inputs.values())) {
                remove(in);
            }
        }
    }

    /**
     * Sets flags of {@code ch}, adding it to the mix if it is not in it; flags not named keep their
     * value. core.async {@code (toggle mix {ch {:mute true}})}.
     *
     * {@snippet :
     * mix.toggle(ch, Map.of(Mix.Flag.MUTE, true, Mix.Flag.PAUSE, false));
     * }
     *
     * @throws NullPointerException if an argument, a key or a value is null
     */
    public void toggle(ReadPort<? extends T> ch, Map<Flag, Boolean> flags) {
        Objects.requireNonNull(ch, "ch");
        Objects.requireNonNull(flags, "flags");
        update(ch, flags);
    }

    /** Sets the flags of several channels at once (see {@link #toggle(ReadPort, Map)}). */
    public void toggle(Map<? extends ReadPort<? extends T>, Map<Flag, Boolean>> changes) {
        Objects.requireNonNull(changes, "changes");
        changes.forEach(this::toggle);
    }

    /**
     * How non-soloed inputs are treated while any input is soloed: {@link Flag#MUTE} (read and
     * dropped, the default) or {@link Flag#PAUSE} (not read).
     *
     * @throws IllegalArgumentException for {@link Flag#SOLO}
     * @throws NullPointerException if {@code mode} is null
     */
    public void soloMode(Flag mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode == Flag.SOLO) {
            throw new IllegalArgumentException("soloMode must be MUTE or PAUSE, was SOLO");
        }
        synchronized (this) {
            soloMode = mode;
            wakeAll();
        }
    }

    /** The inputs and their flags, a snapshot. */
    public synchronized Map<ReadPort<? extends T>, Set<Flag>> state() {
        Map<ReadPort<? extends T>, Set<Flag>> s = new LinkedHashMap<>();
        for (Input<T> in : inputs.values()) {
            EnumSet<Flag> f = EnumSet.noneOf(Flag.class);
            if (in.solo) f.add(Flag.SOLO);
            if (in.mute) f.add(Flag.MUTE);
            if (in.pause) f.add(Flag.PAUSE);
            s.put(in.channel, Set.copyOf(f));
        }
        return s;
    }

    // ----------------------------------------------------------------------------------- engine

    private void update(ReadPort<? extends T> ch, Map<Flag, Boolean> flags) {
        Map<Flag, Boolean> f = new HashMap<>();
        flags.forEach((k, v) -> f.put(Objects.requireNonNull(k, "a flag"), Objects.requireNonNull(v, "a flag's value")));
        Input<T> started = null;
        synchronized (this) {
            Input<T> in = inputs.get(ch);
            if (in == null) {
                in = new Input<>(ch);
                inputs.put(ch, in);
                started = in;
            }
            boolean wasSolo = in.solo;
            in.solo = f.getOrDefault(Flag.SOLO, in.solo);
            in.mute = f.getOrDefault(Flag.MUTE, in.mute);
            in.pause = f.getOrDefault(Flag.PAUSE, in.pause);
            if (wasSolo != in.solo) {
                soloCount += in.solo ? 1 : -1;
                wakeAll(); // who is readable may change for every input
            } else {
                in.ctl.offer(Boolean.TRUE);
            }
            if (stopped) {
                remove(in);
                started = null;
            }
        }
        if (started != null) {
            Input<T> in = started;
            go(() -> read(in));
        }
    }

    /** Removes {@code in} (under the lock) and wakes its process, which then ends. */
    private void remove(Input<T> in) {
        if (in.removed) {
            return;
        }
        in.removed = true;
        inputs.remove(in.channel, in);
        if (in.solo) {
            soloCount--;
            wakeAll();
        }
        in.ctl.offer(Boolean.TRUE);
    }

    private void wakeAll() {
        for (Input<T> in : inputs.values()) {
            in.ctl.offer(Boolean.TRUE);
        }
    }

    private boolean readable(Input<T> in) {
        return soloMode == Flag.PAUSE && soloCount > 0 ? in.solo : !in.pause;
    }

    private boolean deliverable(Input<T> in) {
        return in.solo || (soloCount == 0 && !in.mute);
    }

    /** The process of one input. */
    private void read(Input<T> in) {
        while (true) {
            boolean mayRead;
            synchronized (this) {
                if (in.removed || stopped) {
                    return;
                }
                mayRead = readable(in);
            }
            if (!mayRead) {
                in.ctl.take(); // paused: wait for a change
                continue;
            }
            AltResult r = altsPriority(takeOp(in.ctl), takeOp(in.channel));
            if (r.from(in.ctl)) {
                continue; // flags changed: look again
            }
            T v = r.valueAs();
            if (v == null) {
                synchronized (this) {
                    remove(in); // a closed input leaves the mix
                }
                return;
            }
            if (!ready.offer(new Delivery<>(in, v)) || in.ack.take() == null) {
                return; // stopped
            }
        }
    }

    /** The pump: hands values to the output one at a time. */
    private void pump() {
        for (Delivery<T> d = ready.take(); d != null; d = ready.take()) {
            boolean deliver;
            synchronized (this) {
                deliver = deliverable(d.input());
            }
            if (deliver && !out.put(d.value())) {
                stop();
                return;
            }
            d.input().ack.offer(Boolean.TRUE);
        }
    }

    private void stop() {
        List<Input<T>> all;
        synchronized (this) {
            stopped = true;
            all = new ArrayList<>(inputs.values());
            for (Input<T> in : all) {
                remove(in);
            }
            ready.close();
        }
        for (Delivery<T> d = ready.poll(); d != null; d = ready.poll()) {
            all.add(d.input()); // unmixed inputs with a value still queued: release them too
        }
        for (Input<T> in : all) {
            in.ack.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "Mix[" + out + ", inputs=" + inputs.size() + ", soloMode=" + soloMode + "]";
    }
}
