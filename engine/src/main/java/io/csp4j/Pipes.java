package io.csp4j;

import static io.csp4j.Csp.await;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * Overview of implementation
 *
 * The simple combinators of core.async, each one go block built on the public API only (take, put,
 * alts, takeAsync), so each works the same in both process modes: in loop mode a go block parks
 * instead of blocking the dispatcher, in virtual mode it parks its virtual thread.
 *
 *   pipe      one process: take from `from`, put on `to`; ends when either side closes
 *   onto      one process: put every element, stop early if the channel closes
 *   toChan    onto over a new channel buffered with min(100, size)
 *   reduce    one process folding every value; transduce and into are reduce with extra steps
 *   take      one process: forwards n values, then closes its output
 *   split     one process: routes each value by a predicate to one of two outputs
 *   merge     one process: alts over the inputs still open; closes when the last one closes
 *   map       one process: a takeAsync on every input at once, then awaits them all (a zip)
 *
 * Differences from core.async: the result of `reduce` must not be null (a channel cannot carry
 * null), so a function returning null fails with NullPointerException; `onto` returns a channel that
 * closes when it is done (core.async's onto-chan! does the same); `split` returns a record.
 */

/**
 * The simple combinators of core.async, in Java names: {@code pipe}, {@code onto}, {@code toChan},
 * {@code into}, {@code reduce}, {@code transduce}, {@code take}, {@code split}, {@code merge} and
 * {@code map}. They are also reachable as {@code Csp.pipe(...)} etc. through
 * {@code import static io.csp4j.Csp.*}.
 *
 * <p>Every method returns at once: the work runs in a go block (which parks, never blocks a
 * dispatcher thread). The channels passed in are used from that process; the values flow with the
 * back-pressure of the channels involved. All methods are thread-safe; {@code null} arguments throw
 * {@link NullPointerException}, and no channel ever carries {@code null}.
 *
 * {@snippet :
 * Chan<Integer> numbers = Pipes.toChan(List.of(1, 2, 3, 4));
 * Pipes.Split<Integer> s = Pipes.split(n -> n % 2 == 0, numbers);
 * List<Integer> evens = Pipes.into(new ArrayList<Integer>(), s.matching()).take(); // [2, 4]
 * }
 */
public final class Pipes {

    private Pipes() {}

    /**
     * The two outputs of {@link #split}: values for which the predicate holds, and the others.
     *
     * @param matching receives the values for which the predicate holds
     * @param rest receives the other values
     * @param <T> the value type
     */
    public record Split<T>(Chan<T> matching, Chan<T> rest) {}

    // ------------------------------------------------------------------------------------ pipe

    /**
     * Takes every value from {@code from} and puts it on {@code to}, then closes {@code to} when
     * {@code from} closes. core.async {@code pipe}.
     *
     * @return {@code to}
     * @see #pipe(ReadPort, WritePort, boolean)
     */
    public static <T, W extends WritePort<? super T>> W pipe(ReadPort<? extends T> from, W to) {
        return pipe(from, to, true);
    }

    /**
     * Takes every value from {@code from} and puts it on {@code to}, with {@code to}'s back-pressure.
     * When {@code from} closes, {@code to} is closed if {@code close} is true. When {@code to}
     * closes, the pipe stops taking from {@code from} (the value in hand is dropped, as in
     * core.async).
     *
     * {@snippet :
     * Chan<String> out = chan(10);
     * pipe(in, out, false); // out stays open after in closes
     * }
     *
     * @return {@code to}
     * @throws NullPointerException if a channel is null
     */
    public static <T, W extends WritePort<? super T>> W pipe(ReadPort<? extends T> from, W to, boolean close) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        go(() -> {
            while (true) {
                T v = from.take();
                if (v == null) {
                    if (close) {
                        to.close();
                    }
                    return;
                }
                if (!to.put(v)) {
                    return;
                }
            }
        });
        return to;
    }

    // ---------------------------------------------------------------------------- onto / toChan

    /**
     * Puts the elements of {@code values}, in iteration order, on {@code ch}, then closes it if
     * {@code close} is true; stops early if {@code ch} closes. The iterable is read inside the
     * process, lazily, so it may be long or endless (its iterator must not block). core.async
     * {@code onto-chan!}.
     *
     * {@snippet :
     * Chan<Integer> c = chan(2);
     * onto(c, List.of(1, 2, 3), true);
     * }
     *
     * @return a channel that closes when every element was put (or {@code ch} closed)
     * @throws NullPointerException if an argument is null, or (in the process, reported to the
     *     uncaught-exception handler) if an element is null
     */
    public static <T> Chan<Void> onto(WritePort<? super T> ch, Iterable<? extends T> values, boolean close) {
        Objects.requireNonNull(ch, "ch");
        Objects.requireNonNull(values, "values");
        return go(() -> {
            try {
                for (T v : values) {
                    if (!ch.put(v)) {
                        return;
                    }
                }
            } finally {
                if (close) {
                    ch.close();
                }
            }
        });
    }

    /**
     * A new channel holding the elements of {@code values}, closed after the last one (buffered with
     * up to 100 elements, so short collections are in it at once). core.async {@code to-chan!}.
     *
     * {@snippet :
     * Chan<String> c = toChan(List.of("a", "b")); // take() gives "a", "b", then null
     * }
     *
     * @throws NullPointerException if {@code values} is null
     */
    public static <T> Chan<T> toChan(Iterable<? extends T> values) {
        Objects.requireNonNull(values, "values");
        int size = values instanceof Collection<?> c ? Math.min(100, c.size()) : 100;
        Chan<T> ch = size == 0 ? chan() : chan(size);
        onto(ch, values, true);
        return ch;
    }

    // ------------------------------------------------------------------- reduce / transduce / into

    /**
     * Folds every value of {@code ch} with {@code f}, starting from {@code init}, and delivers the
     * result once {@code ch} closes. core.async {@code reduce}.
     *
     * {@snippet :
     * int sum = Pipes.reduce(Integer::sum, 0, toChan(List.of(1, 2, 3))).take(); // 6
     * }
     *
     * @param f the reducing function; must not return {@code null}
     * @return a channel receiving the result, then closed; if {@code f} throws or returns
     *     {@code null} the channel closes empty and the exception is reported
     * @throws NullPointerException if an argument is null
     */
    public static <T, R> Chan<R> reduce(BiFunction<? super R, ? super T, ? extends R> f, R init,
                                        ReadPort<? extends T> ch) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(init, "init (a channel cannot deliver a null result)");
        Objects.requireNonNull(ch, "ch");
        return go(() -> {
            R acc = init;
            for (T v = ch.take(); v != null; v = ch.take()) {
                acc = Objects.requireNonNull(f.apply(acc, v), "reduce's function returned null");
            }
            return acc;
        });
    }

    /**
     * Runs every value of {@code ch} through {@code xform} and folds the outputs with {@code f}
     * from {@code init}; when the transformation reports "reduced" (e.g. {@code Xform.take(n)}) it
     * stops taking; once done it flushes the transformation's state ({@link Xform.Sink#complete()})
     * and delivers the result. core.async {@code transduce}.
     *
     * {@snippet :
     * int sumOfSquares = transduce(Xform.map((Integer n) -> n * n), Integer::sum, 0, toChan(List.of(1, 2, 3))).take(); // 14
     * }
     *
     * @return a channel receiving the result, then closed (empty if {@code xform} or {@code f} threw;
     *     the exception is reported)
     * @throws NullPointerException if an argument is null
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Chan<R> transduce(Xform<? super A, ? extends B> xform,
                                              BiFunction<? super R, ? super B, ? extends R> f, R init,
                                              ReadPort<? extends A> ch) {
        Objects.requireNonNull(xform, "xform");
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(init, "init (a channel cannot deliver a null result)");
        Objects.requireNonNull(ch, "ch");
        Xform<A, B> x = (Xform<A, B>) xform;
        return go(() -> {
            Object[] acc = {init};
            Xform.Sink<A> sink = x.bind(b -> {
                acc[0] = Objects.requireNonNull(f.apply((R) acc[0], b), "transduce's function returned null");
                return true;
            });
            for (A v = ch.take(); v != null; v = ch.take()) {
                if (!sink.accept(v)) {
                    break;
                }
            }
            sink.complete();
            return (R) acc[0];
        });
    }

    /**
     * Adds every value of {@code ch} to {@code collection} and delivers the collection once
     * {@code ch} closes. The collection is filled from the process; do not touch it before the
     * result arrives. core.async {@code into}.
     *
     * {@snippet :
     * List<Integer> all = into(new ArrayList<Integer>(), toChan(List.of(1, 2))).take(); // [1, 2]
     * }
     *
     * @return a channel receiving the filled collection, then closed
     * @throws NullPointerException if an argument is null
     */
    public static <T, C extends Collection<? super T>> Chan<C> into(C collection, ReadPort<? extends T> ch) {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(ch, "ch");
        return reduce((C c, T v) -> {
            c.add(v);
            return c;
        }, collection, ch);
    }

    // ------------------------------------------------------------------------------------- take

    /**
     * A new unbuffered channel receiving at most the first {@code n} values of {@code ch}; it closes
     * after the n-th value or when {@code ch} closes. core.async {@code take}.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     * @see #take(long, ReadPort, int)
     */
    public static <T> Chan<T> take(long n, ReadPort<? extends T> ch) {
        return take(n, ch, 0);
    }

    /**
     * A new channel with a buffer of {@code bufSize} (0: unbuffered) receiving at most the first
     * {@code n} values of {@code ch}; it closes after the n-th value, when {@code ch} closes, or
     * stops when the output is closed. No value beyond the n-th is taken from {@code ch}.
     *
     * {@snippet :
     * Chan<Integer> firstThree = Pipes.take(3, numbers, 3);
     * }
     *
     * @throws IllegalArgumentException if {@code n < 0} or {@code bufSize < 0}
     * @throws NullPointerException if {@code ch} is null
     */
    public static <T> Chan<T> take(long n, ReadPort<? extends T> ch, int bufSize) {
        if (n < 0) {
            throw new IllegalArgumentException("take needs n >= 0, was " + n);
        }
        Objects.requireNonNull(ch, "ch");
        Chan<T> out = chan(bufSize);
        go(() -> {
            try {
                for (long i = 0; i < n; i++) {
                    T v = ch.take();
                    if (v == null || !out.put(v)) {
                        return;
                    }
                }
            } finally {
                out.close();
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------------ split

    /**
     * Splits {@code ch} in two unbuffered channels: values for which {@code pred} holds go to
     * {@link Split#matching()}, the others to {@link Split#rest()}. Both close when {@code ch}
     * closes. core.async {@code split}.
     *
     * @see #split(Predicate, ReadPort, int, int)
     */
    public static <T> Split<T> split(Predicate<? super T> pred, ReadPort<? extends T> ch) {
        return split(pred, ch, 0, 0);
    }

    /**
     * Splits {@code ch} in two channels with buffers of {@code matchingBuf} and {@code restBuf}
     * (0: unbuffered). Each value waits until its output accepts it, so a full output holds the other
     * back. Both close when {@code ch} closes. If the output a value is routed to was closed, that value
     * is dropped, the split stops taking from {@code ch} (what is left there stays there) and closes the
     * other output too, so that its takers see the end instead of waiting forever (core.async's
     * {@code split} stops the same way but leaves the other output open). If {@code pred} throws, both
     * outputs close and the exception is reported.
     *
     * {@snippet :
     * Pipes.Split<Integer> s = split(n -> n > 0, numbers, 16, 16);
     * }
     *
     * @throws NullPointerException if {@code pred} or {@code ch} is null
     * @throws IllegalArgumentException if a buffer size is negative
     */
    public static <T> Split<T> split(Predicate<? super T> pred, ReadPort<? extends T> ch, int matchingBuf, int restBuf) {
        Objects.requireNonNull(pred, "pred");
        Objects.requireNonNull(ch, "ch");
        Split<T> s = new Split<>(chan(matchingBuf), chan(restBuf));
        go(() -> {
            try {
                for (T v = ch.take(); v != null; v = ch.take()) {
                    if (!(pred.test(v) ? s.matching() : s.rest()).put(v)) {
                        return;
                    }
                }
            } finally {
                s.matching().close();
                s.rest().close();
            }
        });
        return s;
    }

    // ------------------------------------------------------------------------------------ merge

    /**
     * An unbuffered channel receiving the values of all {@code chans}, in the order they arrive; it
     * closes when every input has closed. core.async {@code merge}.
     *
     * @see #merge(Collection, int)
     */
    public static <T> Chan<T> merge(Collection<? extends ReadPort<? extends T>> chans) {
        return merge(chans, 0);
    }

    /**
     * A channel with a buffer of {@code bufSize} (0: unbuffered) receiving the values of all
     * {@code chans}: one process {@code alts} over the inputs still open (at random among those ready,
     * so no input starves) and puts each value on the output; an input that closes is dropped from the
     * set; the output closes when the set is empty (at once for no inputs). As in core.async, if the
     * output is closed early the process keeps draining the inputs (their values are dropped).
     *
     * {@snippet :
     * Chan<String> all = merge(List.of(news, weather, sports), 16);
     * }
     *
     * @throws NullPointerException if {@code chans} or one of its channels is null
     * @throws IllegalArgumentException if {@code bufSize < 0}
     */
    public static <T> Chan<T> merge(Collection<? extends ReadPort<? extends T>> chans, int bufSize) {
        Objects.requireNonNull(chans, "chans");
        List<ReadPort<? extends T>> open = new ArrayList<>(chans.size());
        for (ReadPort<? extends T> c : chans) {
            open.add(Objects.requireNonNull(c, "merge over a null channel: remove it from the collection"));
        }
        Chan<T> out = chan(bufSize);
        go(() -> {
            List<AltOp> ops = new ArrayList<>(open.size());
            for (ReadPort<? extends T> c : open) {
                ops.add(AltOp.take(c));
            }
            while (!ops.isEmpty()) {
                AltResult r = Csp.alts(ops);
                if (r.value() == null) {
                    ops.removeIf(op -> op.channel() == r.channel());
                } else {
                    out.put(r.valueAs());
                }
            }
            out.close();
        });
        return out;
    }

    // -------------------------------------------------------------------------------------- map

    /**
     * Zips {@code chans}: takes one value from each input (all takes issued at once), applies
     * {@code f} to the list of them (in the order of {@code chans}) and puts the result on an
     * unbuffered channel; it closes as soon as any input is closed. core.async {@code map}.
     *
     * @see #map(Function, List, int)
     */
    public static <T, R> Chan<R> map(Function<? super List<T>, ? extends R> f, List<? extends ReadPort<? extends T>> chans) {
        return map(f, chans, 0);
    }

    /**
     * Zips {@code chans} into a channel with a buffer of {@code bufSize}: each round issues a
     * {@code takeAsync} on every input, waits for all of them, and, if none returned {@code null},
     * puts {@code f(values)} on the output; when an input is closed (a {@code null} in the round) the
     * output closes and the other values of that round are dropped, as in core.async. A {@code null}
     * from {@code f} is skipped; if {@code f} throws, the output closes and the exception is reported.
     * The process stops when the output is closed.
     *
     * {@snippet :
     * Chan<Integer> sums = Pipes.map((List<Integer> xs) -> xs.get(0) + xs.get(1), List.of(as, bs));
     * }
     *
     * @throws NullPointerException if {@code f}, {@code chans} or one of its channels is null
     * @throws IllegalArgumentException if {@code bufSize < 0}
     */
    public static <T, R> Chan<R> map(Function<? super List<T>, ? extends R> f, List<? extends ReadPort<? extends T>> chans,
                                     int bufSize) {
        Objects.requireNonNull(f, "f");
        List<ReadPort<? extends T>> ins = List.copyOf(chans);
        Chan<R> out = chan(bufSize);
        go(() -> {
            try {
                if (ins.isEmpty()) {
                    return;
                }
                List<CompletionStage<? extends T>> round = new ArrayList<>(ins.size());
                while (true) {
                    round.clear();
                    for (ReadPort<? extends T> c : ins) {
                        round.add(c.takeAsync());
                    }
                    List<T> values = new ArrayList<>(ins.size());
                    boolean closed = false;
                    for (CompletionStage<? extends T> s : round) {
                        T v = await(s);
                        closed |= v == null;
                        values.add(v);
                    }
                    if (closed) {
                        return;
                    }
                    R r = f.apply(values);
                    if (r != null && !out.put(r)) {
                        return;
                    }
                }
            } finally {
                out.close();
            }
        });
        return out;
    }
}
