package io.csp4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A transformation carried by a channel: core.async's transducer, in Java.
 *
 * <p>An {@code Xform<A, B>} turns a {@link Sink} of {@code B}s into a sink of {@code A}s. A channel
 * built with {@code chan(n, xform)} binds its transformation once, to a sink that adds to its
 * buffer, and runs every put through it while holding its lock: the transformation is applied
 * atomically, in put order, and its state (for {@link #take(long)}, {@link #partitionAll(int)}, ...)
 * needs no synchronization. When a sink returns {@code false} ("reduced", e.g. {@code take(n)} has
 * seen its n values) the channel closes. When the channel closes, {@link Sink#complete()} flushes
 * what stateful steps hold (the last partial partition).
 *
 * <p>Functions passed to the factories must not be {@code null}, must not block or touch channels,
 * and should not return {@code null} from {@link #map(Function)} (a {@code null} is skipped, like
 * {@link #keep(Function)}). An exception thrown inside goes to the channel's exception handler.
 *
 * {@snippet :
 * Chan<Integer> evensSquared = chan(16, Xform.<Integer>filter(n -> n % 2 == 0).then(Xform.map(n -> n * n)));
 * }
 *
 * <p>Differences from core.async: transducers are composed left to right with {@link #then(Xform)}
 * (core.async's {@code comp} order), and "reduced" is the boolean result of {@link Sink#accept}.
 *
 * @param <A> what goes in
 * @param <B> what comes out
 */
@FunctionalInterface
public interface Xform<A, B> {

    /**
     * A step that receives values: core.async's reducing function, specialised to "add to the
     * channel's buffer".
     *
     * @param <T> the values received
     */
    interface Sink<T> {
        /**
         * Receives one value.
         *
         * @return {@code true} to go on, {@code false} when no further value is wanted ("reduced")
         */
        boolean accept(T value);

        /** Flushes any held state downstream; called once, when the channel closes. */
        default void complete() {}
    }

    /**
     * Binds this transformation to a downstream sink. Called once per channel; stateful
     * transformations create their state here.
     */
    Sink<A> bind(Sink<B> downstream);

    /** This transformation, then {@code next} (core.async {@code (comp this next)}). */
    default <C> Xform<A, C> then(Xform<B, C> next) {
        Objects.requireNonNull(next, "next");
        return downstream -> bind(next.bind(downstream));
    }

    /** Passes every value unchanged. */
    static <T> Xform<T, T> identity() {
        return downstream -> downstream;
    }

    /** Applies {@code f} to every value; a {@code null} result is skipped. */
    static <A, B> Xform<A, B> map(Function<? super A, ? extends B> f) {
        Objects.requireNonNull(f, "f");
        return downstream -> forward(downstream, v -> {
            B b = f.apply(v);
            return b == null || downstream.accept(b);
        });
    }

    /** Applies {@code f} and passes on only non-null results (core.async {@code keep}). */
    static <A, B> Xform<A, B> keep(Function<? super A, ? extends B> f) {
        return map(f);
    }

    /** Passes the values for which {@code p} holds. */
    static <T> Xform<T, T> filter(Predicate<? super T> p) {
        Objects.requireNonNull(p, "p");
        return downstream -> forward(downstream, v -> !p.test(v) || downstream.accept(v));
    }

    /** Drops the values for which {@code p} holds. */
    static <T> Xform<T, T> remove(Predicate<? super T> p) {
        Objects.requireNonNull(p, "p");
        return filter(p.negate());
    }

    /** Passes every element of {@code f(value)}, in order (nulls skipped). */
    static <A, B> Xform<A, B> mapcat(Function<? super A, ? extends Iterable<? extends B>> f) {
        Objects.requireNonNull(f, "f");
        return downstream -> forward(downstream, v -> {
            Iterable<? extends B> many = f.apply(v);
            if (many != null) {
                for (B b : many) {
                    if (b != null && !downstream.accept(b)) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Passes the first {@code n} values, then reports "reduced" (which closes the channel). */
    static <T> Xform<T, T> take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("take needs n >= 0, was " + n);
        }
        return downstream -> new Sink<>() {
            long left = n;

            @Override
            public boolean accept(T v) {
                if (left <= 0) {
                    return false;
                }
                left--;
                return downstream.accept(v) && left > 0;
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /** Drops the first {@code n} values. */
    static <T> Xform<T, T> drop(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("drop needs n >= 0, was " + n);
        }
        return downstream -> new Sink<>() {
            long left = n;

            @Override
            public boolean accept(T v) {
                if (left > 0) {
                    left--;
                    return true;
                }
                return downstream.accept(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /** Passes values while {@code p} holds, then reports "reduced". */
    static <T> Xform<T, T> takeWhile(Predicate<? super T> p) {
        Objects.requireNonNull(p, "p");
        return downstream -> forward(downstream, v -> p.test(v) && downstream.accept(v));
    }

    /** Drops values while {@code p} holds, then passes everything. */
    static <T> Xform<T, T> dropWhile(Predicate<? super T> p) {
        Objects.requireNonNull(p, "p");
        return downstream -> new Sink<>() {
            boolean dropping = true;

            @Override
            public boolean accept(T v) {
                if (dropping && p.test(v)) {
                    return true;
                }
                dropping = false;
                return downstream.accept(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /** Drops a value equal to the one before it. */
    static <T> Xform<T, T> dedupe() {
        return downstream -> new Sink<>() {
            T last;

            @Override
            public boolean accept(T v) {
                if (v.equals(last)) {
                    return true;
                }
                last = v;
                return downstream.accept(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /** Drops a value equal to any seen before (remembers every distinct value). */
    static <T> Xform<T, T> distinct() {
        return downstream -> new Sink<>() {
            final Set<T> seen = new HashSet<>();

            @Override
            public boolean accept(T v) {
                return !seen.add(v) || downstream.accept(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /**
     * Groups values into lists of {@code n}; the last, shorter list is passed when the channel
     * closes (core.async {@code partition-all}).
     */
    static <T> Xform<T, List<T>> partitionAll(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitionAll needs n >= 1, was " + n);
        }
        return downstream -> new Sink<>() {
            List<T> batch = new ArrayList<>(n);

            @Override
            public boolean accept(T v) {
                batch.add(v);
                if (batch.size() < n) {
                    return true;
                }
                List<T> full = List.copyOf(batch);
                batch = new ArrayList<>(n);
                return downstream.accept(full);
            }

            @Override
            public void complete() {
                if (!batch.isEmpty()) {
                    List<T> rest = List.copyOf(batch);
                    batch = new ArrayList<>(n);
                    downstream.accept(rest);
                }
                downstream.complete();
            }
        };
    }

    /**
     * Groups consecutive values with the same {@code f(value)} into lists; the last group is passed
     * when the channel closes (core.async {@code partition-by}).
     */
    static <T> Xform<T, List<T>> partitionBy(Function<? super T, ?> f) {
        Objects.requireNonNull(f, "f");
        return downstream -> new Sink<>() {
            List<T> group = new ArrayList<>();
            Object key;

            @Override
            public boolean accept(T v) {
                Object k = f.apply(v);
                if (group.isEmpty() || Objects.equals(k, key)) {
                    key = k;
                    group.add(v);
                    return true;
                }
                List<T> done = List.copyOf(group);
                group = new ArrayList<>();
                group.add(v);
                key = k;
                return downstream.accept(done);
            }

            @Override
            public void complete() {
                if (!group.isEmpty()) {
                    List<T> rest = List.copyOf(group);
                    group = new ArrayList<>();
                    downstream.accept(rest);
                }
                downstream.complete();
            }
        };
    }

    /** Passes {@code separator} between consecutive values. */
    static <T> Xform<T, T> interpose(T separator) {
        Objects.requireNonNull(separator, "separator");
        return downstream -> new Sink<>() {
            boolean started;

            @Override
            public boolean accept(T v) {
                if (started && !downstream.accept(separator)) {
                    return false;
                }
                started = true;
                return downstream.accept(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }

    /** A stateless step over {@code downstream}: {@code step} decides, completion is forwarded. */
    private static <A, B> Sink<A> forward(Sink<B> downstream, Predicate<A> step) {
        return new Sink<>() {
            @Override
            public boolean accept(A v) {
                return step.test(v);
            }

            @Override
            public void complete() {
                downstream.complete();
            }
        };
    }
}
