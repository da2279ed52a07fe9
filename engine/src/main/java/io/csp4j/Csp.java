package io.csp4j;

import io.csp4j.internal.Alts;
import io.csp4j.internal.Engine;
import io.csp4j.internal.GoProcess;
import io.csp4j.internal.ManyToManyChannel;
import io.csp4j.internal.Processes;
import io.csp4j.internal.Timers;
import io.csp4j.spi.Dispatcher;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The static entry point, like core.async's namespace: {@code import static io.csp4j.Csp.*;} and
 * code reads like the Go talks.
 *
 * {@snippet :
 * import static io.csp4j.Csp.*;
 *
 * Chan<String> c = boring("Joe");
 * while (true) {
 *     AltResult r = alts(c, timeout(Duration.ofMillis(800)));
 *     if (r.channel() != c) { System.out.println("You're too slow."); break; }
 *     System.out.println(r.value());
 * }
 * }
 *
 * <p>Everything here is thread-safe. Channel operations park inside a process and block elsewhere
 * (see {@link Chan}); {@code alts}, {@code sleep} and {@code await} do the same.
 */
public final class Csp {

    /** The "channel" of an {@link AltResult} when the default value was chosen. */
    public static final Object DEFAULT = new Object() {
        @Override
        public String toString() {
            return "DEFAULT";
        }
    };

    /**
     * The "channel" of an {@link AltResult} when the deadline of an {@code altsWithin} passed first
     * (its value is then {@code null}).
     */
    public static final Object TIMED_OUT = new Object() {
        @Override
        public String toString() {
            return "TIMED_OUT";
        }
    };

    private Csp() {}

    /** A go block's body that returns a value (a {@code null} result just closes the channel). */
    @FunctionalInterface
    public interface Body<T> extends Processes.Body<T> {}

    /** A go block's body that returns nothing. */
    @FunctionalInterface
    public interface VoidBody {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------------------------ channels

    /** A rendezvous channel: a put waits for a take and the other way round (Go's {@code make(chan T)}). */
    public static <T> Chan<T> chan() {
        return new ManyToManyChannel<>();
    }

    /**
     * A channel with a fixed buffer of {@code n}; {@code 0} gives a rendezvous channel (as in Go).
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static <T> Chan<T> chan(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("A channel's buffer size must be >= 0, was " + n
                    + ": use chan() or chan(0) for a rendezvous channel, chan(n) for a buffer of n");
        }
        return n == 0 ? chan() : new ManyToManyChannel<>(Buffers.fixed(n), null, null, 0, null);
    }

    /**
     * A channel over {@code buffer} (see {@link Buffers}).
     *
     * @throws NullPointerException if {@code buffer} is null
     */
    public static <T> Chan<T> chan(Buffer<T> buffer) {
        Objects.requireNonNull(buffer, "buffer (use chan() for a rendezvous channel)");
        return new ManyToManyChannel<>(buffer, null, null, 0, null);
    }

    /**
     * A channel with a fixed buffer of {@code n} whose values go through {@code xform}, atomically,
     * in put order; exceptions it throws go to the uncaught-exception handler.
     *
     * @throws IllegalArgumentException if {@code n < 1} (a transformation needs a buffer)
     */
    public static <A, B> Channel<A, B> chan(int n, Xform<? super A, ? extends B> xform) {
        if (n < 1) {
            throw new IllegalArgumentException("A channel with a transformation needs a buffer of at least 1, was " + n);
        }
        return chan(Buffers.fixed(n), xform, null);
    }

    /** A channel over {@code buffer} whose values go through {@code xform}. */
    public static <A, B> Channel<A, B> chan(Buffer<B> buffer, Xform<? super A, ? extends B> xform) {
        return chan(buffer, xform, null);
    }

    /**
     * A channel over {@code buffer} whose values go through {@code xform}; when {@code xform} throws,
     * {@code exHandler}'s non-null result is put in the buffer instead (core.async's ex-handler).
     * The transformation runs under the channel's lock, so it must not put, take or close on its own
     * channel: such a call throws {@code IllegalStateException} (handled like any other failure of
     * the transformation) rather than wait for itself.
     *
     * @param exHandler may be {@code null}: the exception is then reported and the value dropped
     */
    public static <A, B> Channel<A, B> chan(Buffer<B> buffer, Xform<? super A, ? extends B> xform,
                                            Function<? super Throwable, ? extends B> exHandler) {
        Objects.requireNonNull(buffer, "buffer (a transformation needs one)");
        Objects.requireNonNull(xform, "xform");
        return new ChanBuilder<B>().buffer(buffer).xform(xform, exHandler);
    }

    /**
     * A promise channel: the first value put is kept and given to every taker, forever; later puts
     * are accepted and dropped; closing it before any put makes every take return {@code null}.
     */
    public static <T> Chan<T> promiseChan() {
        return new ManyToManyChannel<>(Buffers.promise(), null, null, 0, "promiseChan");
    }

    /** A builder for channels with every option (limit of pending operations, name, ...). */
    public static <T> ChanBuilder<T> chanBuilder() {
        return new ChanBuilder<>();
    }

    /**
     * A new channel that closes after {@code d}: never shared between calls, and a zero or negative
     * duration closes it as soon as possible (but never on the caller's stack). Taking from it parks
     * (blocks) until then and returns {@code null}; nothing is ever put on it by the engine.
     *
     * <p>A timeout nobody can observe any more costs nothing: once no code refers to the channel and
     * no taker waits on it (the usual fate of the timeout in {@code alts(c, timeout(d))} when
     * {@code c} wins), the GC collects it and it leaves the engine's queue of timeouts (one per lane
     * that makes timeouts, one for all other threads, each keeping a single dispatcher timer for its
     * earliest deadline). A channel that is still referenced, or waited on by a parked process,
     * closes on time; its takers resume on their own lanes. Thread-safe. To wait at most {@code d}
     * in one {@code alts} without making a channel at all, use {@link #altsWithin(Duration, ReadPort...)}.
     *
     * {@snippet :
     * AltResult r = alts(replies, timeout(Duration.ofMillis(80)));
     * if (!r.from(replies)) System.out.println("timed out");
     * }
     *
     * @throws NullPointerException if {@code d} is null
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher is closed and refused
     *     the timer this timeout needed (a timeout due after one that is already armed needs none,
     *     and never closes once the dispatcher is closed)
     */
    public static <T> Chan<T> timeout(Duration d) {
        return Timers.timeout(d);
    }

    /** {@link #timeout(Duration)} in milliseconds. */
    public static <T> Chan<T> timeout(long millis) {
        return Timers.timeout(Duration.ofMillis(millis));
    }

    // ----------------------------------------------------------------------------------- processes

    /**
     * Starts {@code body} as a light-weight process and returns a channel (buffer 1) that receives
     * its non-null result and then closes. If the body throws, the channel closes and the exception
     * goes to the uncaught-exception handler. Never runs the body on the caller's stack.
     *
     * {@snippet :
     * Chan<Integer> answer = go(() -> 6 * 7);
     * int v = answer.take(); // 42
     * }
     */
    public static <T> Chan<T> go(Body<? extends T> body) {
        return Processes.go(body);
    }

    /** Starts {@code body} as a process; the returned channel closes when it ends. */
    public static Chan<Void> go(VoidBody body) {
        return Processes.go(body);
    }

    /**
     * Starts {@code body} as a process and returns a future of its result ({@code null} allowed);
     * an exception completes the future exceptionally (and is not reported elsewhere).
     */
    public static <T> CompletableFuture<T> goFuture(Body<? extends T> body) {
        return Processes.goFuture(body);
    }

    /** Starts {@code body} as a process; the future completes when it ends. */
    public static CompletableFuture<Void> goFuture(VoidBody body) {
        Objects.requireNonNull(body, "body");
        return Processes.goFuture(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs blocking work (I/O, {@code Thread.sleep}, JDBC...) on a new virtual thread, with the same
     * result channel as {@link #go(Body)}: the way out of a loop-mode go block for code that blocks.
     */
    public static <T> Chan<T> thread(Body<? extends T> body) {
        return Processes.thread(body);
    }

    /** {@link #thread(Body)} for a body that returns nothing. */
    public static Chan<Void> thread(VoidBody body) {
        Objects.requireNonNull(body, "body");
        return Processes.thread(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Parks the process (blocks an ordinary thread) for {@code d}. In loop mode this is the way to
     * wait inside a go block; {@code Thread.sleep} would stall the dispatcher.
     *
     * @throws IllegalStateException on a dispatcher thread outside a process
     */
    public static void sleep(Duration d) {
        Processes.sleep(d);
    }

    /** {@link #sleep(Duration)} in milliseconds. */
    public static void sleep(long millis) {
        Processes.sleep(Duration.ofMillis(millis));
    }

    /**
     * Waits for {@code stage} (parks a process, blocks an ordinary thread) and returns its value, or
     * throws its exception (unchecked ones as they are, checked ones wrapped in
     * {@link java.util.concurrent.CompletionException}).
     *
     * @throws IllegalStateException on a dispatcher thread outside a process
     */
    public static <T> T await(CompletionStage<? extends T> stage) {
        return Processes.await(stage);
    }

    // ------------------------------------------------------------------ cancellation and scopes

    /**
     * Throws {@link ProcessCancelledException} if the calling process was cancelled (and is not in a
     * {@link #nonCancellable} block); otherwise does nothing. Cancellation reaches a process only at
     * its parks, so a long computation that never parks calls this now and then to stop promptly.
     * Costs one volatile read; on an ordinary thread it does nothing. Never blocks.
     *
     * {@snippet :
     * for (long i = 0; i < n; i++) {
     *     if ((i & 0xFFFF) == 0) checkCancelled();
     *     crunch(i);
     * }
     * }
     */
    public static void checkCancelled() {
        GoProcess p = GoProcess.current();
        if (p != null) {
            p.checkCancelled("the work after checkCancelled()");
        }
    }

    /** Whether the calling process was cancelled (sticky); {@code false} on an ordinary thread. Never blocks. */
    public static boolean isCancelled() {
        GoProcess p = GoProcess.current();
        return p != null && p.isCancelled();
    }

    /**
     * Runs {@code body} in the calling process with cancellation held off: its parks wait normally
     * even if the process is (or becomes) cancelled. For cleanup that must park, e.g. telling a peer
     * goodbye in a {@code finally}. Nestable; after it, the next park point of a cancelled process
     * throws again. On an ordinary thread it just runs {@code body}.
     *
     * {@snippet :
     * try {
     *     serve(requests);
     * } finally {
     *     nonCancellable(() -> registry.put(new Bye(id)));
     * }
     * }
     *
     * @throws RuntimeException what {@code body} throws (checked exceptions wrapped in
     *     {@link java.util.concurrent.CompletionException})
     */
    public static <T> T nonCancellable(Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        GoProcess p = GoProcess.current();
        if (p != null) {
            p.enterNonCancellable();
        }
        try {
            return body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        } finally {
            if (p != null) {
                p.exitNonCancellable();
            }
        }
    }

    /** {@link #nonCancellable(Body)} for a body that returns nothing. */
    public static void nonCancellable(VoidBody body) {
        Objects.requireNonNull(body, "body");
        nonCancellable(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} as a process with a deadline and waits for it (parks in a go block, blocks
     * elsewhere): kotlinx's {@code withTimeout}, Go's {@code context.WithTimeout}. On expiry the
     * process is cancelled and this throws {@link DeadlineExceededException}; a body that still
     * finishes normally after the deadline delivers its value (nothing it took is lost). The body runs
     * in a new process: scopes, {@code nonCancellable} and ThreadLocals are its own.
     *
     * {@snippet :
     * Quote q = withTimeout(Duration.ofMillis(200), () -> quotes.take());
     * }
     *
     * @throws DeadlineExceededException if the deadline cancelled the body
     * @throws RuntimeException what the body threw (checked exceptions wrapped in
     *     {@link java.util.concurrent.CompletionException})
     * @throws ProcessCancelledException if the calling process was cancelled meanwhile
     */
    public static <T> T withTimeout(Duration timeout, Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        try (Scope s = Scope.open(timeout)) {
            Task<T> t = s.go(body);
            s.join();
            return t.get();
        }
    }

    /**
     * {@link #withTimeout} that returns {@code null} when its own deadline cancelled the body. Only
     * this call's deadline becomes {@code null}: a {@link DeadlineExceededException} of a scope
     * inside the body is a failure of the body and is rethrown, and a cancellation of the calling
     * process still throws.
     *
     * {@snippet :
     * Quote q = withTimeoutOrNull(Duration.ofMillis(200), () -> quotes.take());
     * if (q == null) { ... } // no quote in time; nothing was taken from the channel
     * }
     */
    public static <T> T withTimeoutOrNull(Duration timeout, Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        Scope s = Scope.open(timeout);
        try (s) {
            Task<T> t = s.go(body);
            s.join();
            return t.get();
        } catch (DeadlineExceededException e) {
            if (s.isOwnDeadline(e)) {
                return null;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------- alts

    /** A take operation for {@link #alts(AltOp...)}; {@code null} is never ready. */
    public static AltOp takeOp(ReadPort<?> channel) {
        return AltOp.take(channel);
    }

    /** A put operation for {@link #alts(AltOp...)}; a {@code null} channel is never ready. */
    public static <T> AltOp putOp(WritePort<T> channel, T value) {
        return AltOp.put(channel, value);
    }

    /**
     * Takes from whichever channel is ready first (Go's {@code select} over receives), choosing at
     * random among those ready at once. A closed channel is ready (its value is {@code null}); a
     * {@code null} channel never is.
     */
    public static AltResult alts(ReadPort<?>... channels) {
        return Alts.alts(takes(channels), false, false, null);
    }

    /**
     * Completes exactly one of {@code ops}, the first ready (at random among those ready at once),
     * parking or blocking until one is. core.async {@code alts!}.
     */
    public static AltResult alts(AltOp... ops) {
        return Alts.alts(List.of(ops), false, false, null);
    }

    /** {@link #alts(AltOp...)} over a list. */
    public static AltResult alts(List<AltOp> ops) {
        return Alts.alts(List.copyOf(ops), false, false, null);
    }

    /** Like {@link #alts(AltOp...)}, but when several are ready the first in order wins. */
    public static AltResult altsPriority(AltOp... ops) {
        return Alts.alts(List.of(ops), true, false, null);
    }

    /** Like {@link #alts(ReadPort...)}, but when several are ready the first in order wins. */
    public static AltResult altsPriority(ReadPort<?>... channels) {
        return Alts.alts(takes(channels), true, false, null);
    }

    /**
     * Completes one of {@code ops} if one is ready now; otherwise returns at once with
     * {@code defaultValue} and {@link #DEFAULT} as the channel (Go's {@code select} with
     * {@code default}). Never parks, never blocks, and leaves nothing enqueued.
     *
     * @throws NullPointerException if {@code defaultValue} is null: unlike core.async's
     *     {@code :default nil}, the default must be a value (null is never one in csp4j);
     *     {@link AltResult#isDefault()} tells that none was ready
     */
    public static AltResult altsOrDefault(Object defaultValue, AltOp... ops) {
        Objects.requireNonNull(defaultValue, "defaultValue is null: altsOrDefault needs a non-null default"
                + " (e.g. Boolean.FALSE); result.isDefault() tells that nothing was ready");
        return Alts.alts(List.of(ops), false, true, defaultValue);
    }

    /**
     * The full form: {@code priority} picks the first ready operation in order; a non-null
     * {@code defaultValue} is returned when none is ready now.
     */
    public static AltResult alts(List<AltOp> ops, boolean priority, Object defaultValue) {
        return Alts.alts(List.copyOf(ops), priority, defaultValue != null, defaultValue);
    }

    /**
     * {@link #alts(ReadPort...)} that waits at most {@code d} (kotlinx's {@code onTimeout}, Go's
     * {@code case <-time.After(d)}) without making a timeout channel: if a channel is ready first,
     * its value and channel are returned; otherwise, after {@code d}, the result is {@code null}
     * with {@link #TIMED_OUT} as the channel ({@link AltResult#isTimedOut()}). The dispatcher timer
     * is armed only when nothing is ready at once and is cancelled as soon as a channel wins, so a
     * loop of these leaves no armed timer behind. A zero or negative {@code d} gives the channels
     * one chance, like {@link #altsOrDefault} (never parks). Parks in a process, blocks elsewhere;
     * thread-safe; a {@code null} channel is never ready.
     *
     * {@snippet :
     * for (;;) {
     *     AltResult r = altsWithin(Duration.ofSeconds(5), requests, quit);
     *     if (r.isTimedOut()) { heartbeat(); continue; }
     *     if (r.from(quit)) break;
     *     handle(r.value());
     * }
     * }
     *
     * @throws NullPointerException if {@code d} is null
     * @throws IllegalStateException on a dispatcher thread outside a process (with {@code d > 0})
     */
    public static AltResult altsWithin(Duration d, ReadPort<?>... channels) {
        return Alts.altsWithin(takes(channels), false, d);
    }

    /**
     * {@link #alts(AltOp...)} that waits at most {@code d}: takes and puts, exactly one of which
     * completes, or none and then {@code (null, TIMED_OUT)} after {@code d}. Otherwise as
     * {@link #altsWithin(Duration, ReadPort...)}.
     *
     * {@snippet :
     * AltResult r = altsWithin(Duration.ofMillis(100), putOp(out, v), takeOp(quit));
     * if (r.isTimedOut()) dropped++; // out stayed full for 100 ms: v was not put
     * }
     *
     * @throws NullPointerException if {@code d} or an operation is null
     */
    public static AltResult altsWithin(Duration d, AltOp... ops) {
        return Alts.altsWithin(List.of(ops), false, d);
    }

    /**
     * The full form of {@link #altsWithin(Duration, AltOp...)}: {@code priority} picks the first
     * ready operation in list order.
     *
     * @throws NullPointerException if {@code d}, {@code ops} or an operation is null
     */
    public static AltResult altsWithin(Duration d, List<AltOp> ops, boolean priority) {
        return Alts.altsWithin(List.copyOf(ops), priority, d);
    }

    /**
     * {@code alts} without waiting: the stage completes on the dispatcher with the result.
     * core.async {@code (alts! ...)} outside a go block, as a callback.
     */
    public static CompletionStage<AltResult> altsAsync(List<AltOp> ops, boolean priority) {
        return Alts.altsAsync(List.copyOf(ops), priority, false, null);
    }

    private static List<AltOp> takes(ReadPort<?>[] channels) {
        AltOp[] ops = new AltOp[channels.length];
        for (int i = 0; i < channels.length; i++) {
            ops[i] = AltOp.take(channels[i]);
        }
        return Arrays.asList(ops);
    }

    // ----------------------------------------------------------------------------------- the engine

    /**
     * Binds {@code d} as the dispatcher of everything started from now on, overriding the
     * {@code ServiceLoader} lookup and {@code -Dcsp4j.dispatcher} (e.g. a dispatcher over the
     * application's own {@code Vertx}); {@code null} unbinds. The caller keeps ownership of {@code d};
     * a dispatcher the engine looked up by itself is closed when replaced.
     *
     * @return the dispatcher bound before, or {@code null}
     */
    public static Dispatcher useDispatcher(Dispatcher d) {
        return Engine.useDispatcher(d);
    }

    /**
     * The dispatcher in use, looked up on first call.
     *
     * @throws IllegalStateException if none is bound and none is found (the message names the artifacts)
     */
    public static Dispatcher dispatcher() {
        return Engine.dispatcher();
    }

    /**
     * Ends the threads csp4j started for itself: closes the dispatcher the engine looked up (the
     * {@code ServiceLoader} default, e.g. the ForkJoin lanes and timer thread) and forgets it, so a
     * later {@code go(...)} looks up a new one. A dispatcher bound with {@link #useDispatcher} is left
     * to the application, which closes it.
     *
     * <p>A program does not need this to exit: the default dispatchers' threads are daemon threads.
     * It is for hosts that wait for the threads a program started, such as {@code mvn exec:java}
     * (which otherwise waits 15 s for each; or set its {@code cleanupDaemonThreads} to
     * {@code false}), application servers and tests. Call it when the processes are done: a process
     * still parked then never resumes, and pending timers never fire. Blocks while the dispatcher's
     * {@code close()} lets running tasks end (the ForkJoin default waits at most 10 s); thread-safe;
     * idempotent.
     *
     * {@snippet :
     * public static void main(String[] args) {
     *     go(() -> System.out.println("hello from a go block")).take();
     *     Csp.shutdown(); // the lanes and the timer thread end now
     * }
     * }
     *
     * @return whether a dispatcher was closed ({@code false} if none was looked up, or the one in use
     *     was bound by the application)
     */
    public static boolean shutdown() {
        return Engine.shutdown();
    }

    /** The mode new processes start in: {@link ProcessMode#LOOP} or {@link ProcessMode#VIRTUAL}. */
    public static ProcessMode processMode() {
        return Engine.processMode();
    }

    /**
     * Changes the mode of processes started from now on (processes already running keep theirs).
     *
     * @throws IllegalStateException for {@code LOOP} when the JVM option is missing
     */
    public static void useProcessMode(ProcessMode mode) {
        Engine.useProcessMode(mode);
    }

    /**
     * Where exceptions thrown by go blocks, callbacks and transformations go. {@code null} restores
     * the default: the JVM's default uncaught-exception handler if set, else a log line (System.Logger
     * {@code io.csp4j}, ERROR).
     */
    public static void setUncaughtExceptionHandler(Consumer<Throwable> handler) {
        Engine.setUncaughtExceptionHandler(handler);
    }

    /**
     * Hands {@code error} to the uncaught-exception handler, exactly as an exception escaping a go
     * block is: for interop code (a failed future turned into a closed channel, say) that has an
     * error nobody else will see. Never throws; thread-safe.
     *
     * @throws NullPointerException if {@code error} is null
     */
    public static void report(Throwable error) {
        Engine.report(Objects.requireNonNull(error, "error"));
    }

    // ------------- combinators (begin)
    // Delegates to Pipes, Pipelines, Mult, Pub, Mix, Ticker and Flows (see each for the full
    // contract), so that `import static io.csp4j.Csp.*` reaches core.async's whole surface.

    /** {@link Pipes#pipe(ReadPort, WritePort)}: pipes {@code from} into {@code to}, closing it after. */
    public static <T, W extends WritePort<? super T>> W pipe(ReadPort<? extends T> from, W to) {
        return Pipes.pipe(from, to);
    }

    /** {@link Pipes#pipe(ReadPort, WritePort, boolean)}: pipes {@code from} into {@code to}. */
    public static <T, W extends WritePort<? super T>> W pipe(ReadPort<? extends T> from, W to, boolean close) {
        return Pipes.pipe(from, to, close);
    }

    /** {@link Pipes#onto}: puts every element on {@code ch}; the result closes when done. */
    public static <T> Chan<Void> onto(WritePort<? super T> ch, Iterable<? extends T> values, boolean close) {
        return Pipes.onto(ch, values, close);
    }

    /** {@link Pipes#toChan}: a channel of the elements, closed after the last. */
    public static <T> Chan<T> toChan(Iterable<? extends T> values) {
        return Pipes.toChan(values);
    }

    /** {@link Pipes#into}: a channel delivering {@code collection} filled with every value of {@code ch}. */
    public static <T, C extends java.util.Collection<? super T>> Chan<C> into(C collection, ReadPort<? extends T> ch) {
        return Pipes.into(collection, ch);
    }

    /** {@link Pipes#reduce}: a channel delivering the fold of every value of {@code ch}. */
    public static <T, R> Chan<R> reduce(java.util.function.BiFunction<? super R, ? super T, ? extends R> f, R init,
                                        ReadPort<? extends T> ch) {
        return Pipes.reduce(f, init, ch);
    }

    /** {@link Pipes#transduce}: a channel delivering the fold of the transformed values of {@code ch}. */
    public static <A, B, R> Chan<R> transduce(Xform<? super A, ? extends B> xform,
                                              java.util.function.BiFunction<? super R, ? super B, ? extends R> f, R init,
                                              ReadPort<? extends A> ch) {
        return Pipes.transduce(xform, f, init, ch);
    }

    /** {@link Pipes#take(long, ReadPort)}: the first {@code n} values of {@code ch}, unbuffered. */
    public static <T> Chan<T> take(long n, ReadPort<? extends T> ch) {
        return Pipes.take(n, ch);
    }

    /** {@link Pipes#take(long, ReadPort, int)}: the first {@code n} values of {@code ch}, buffered. */
    public static <T> Chan<T> take(long n, ReadPort<? extends T> ch, int bufSize) {
        return Pipes.take(n, ch, bufSize);
    }

    /** {@link Pipes#split(java.util.function.Predicate, ReadPort)}: two unbuffered outputs by a predicate. */
    public static <T> Pipes.Split<T> split(java.util.function.Predicate<? super T> pred, ReadPort<? extends T> ch) {
        return Pipes.split(pred, ch);
    }

    /** {@link Pipes#split(java.util.function.Predicate, ReadPort, int, int)}: two buffered outputs. */
    public static <T> Pipes.Split<T> split(java.util.function.Predicate<? super T> pred, ReadPort<? extends T> ch,
                                           int matchingBuf, int restBuf) {
        return Pipes.split(pred, ch, matchingBuf, restBuf);
    }

    /** {@link Pipes#merge(java.util.Collection)}: every input's values; closes when all inputs closed. */
    public static <T> Chan<T> merge(java.util.Collection<? extends ReadPort<? extends T>> chans) {
        return Pipes.merge(chans);
    }

    /** {@link Pipes#merge(java.util.Collection, int)}: {@code merge} with a buffered output. */
    public static <T> Chan<T> merge(java.util.Collection<? extends ReadPort<? extends T>> chans, int bufSize) {
        return Pipes.merge(chans, bufSize);
    }

    /** {@link Pipes#map(Function, List)}: zips the inputs through {@code f}; closes when any input closes. */
    public static <T, R> Chan<R> map(Function<? super List<T>, ? extends R> f, List<? extends ReadPort<? extends T>> chans) {
        return Pipes.map(f, chans);
    }

    /** {@link Pipes#map(Function, List, int)}: {@code map} with a buffered output. */
    public static <T, R> Chan<R> map(Function<? super List<T>, ? extends R> f, List<? extends ReadPort<? extends T>> chans,
                                     int bufSize) {
        return Pipes.map(f, chans, bufSize);
    }

    /** {@link Pipelines#pipeline(int, WritePort, Xform, ReadPort)}: ordered parallel transformation in go blocks. */
    public static <A, B> Chan<Void> pipeline(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                             ReadPort<? extends A> from) {
        return Pipelines.pipeline(n, to, xform, from);
    }

    /** {@link Pipelines#pipeline(int, WritePort, Xform, ReadPort, boolean, Function)}. */
    public static <A, B> Chan<Void> pipeline(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                             ReadPort<? extends A> from, boolean close,
                                             Function<? super Throwable, ? extends B> exHandler) {
        return Pipelines.pipeline(n, to, xform, from, close, exHandler);
    }

    /** {@link Pipelines#pipelineBlocking(int, WritePort, Xform, ReadPort)}: the same on virtual threads. */
    public static <A, B> Chan<Void> pipelineBlocking(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                                     ReadPort<? extends A> from) {
        return Pipelines.pipelineBlocking(n, to, xform, from);
    }

    /** {@link Pipelines#pipelineBlocking(int, WritePort, Xform, ReadPort, boolean, Function)}. */
    public static <A, B> Chan<Void> pipelineBlocking(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                                     ReadPort<? extends A> from, boolean close,
                                                     Function<? super Throwable, ? extends B> exHandler) {
        return Pipelines.pipelineBlocking(n, to, xform, from, close, exHandler);
    }

    /** {@link Pipelines#pipelineAsync(int, WritePort, java.util.function.BiConsumer, ReadPort)}: ordered async calls. */
    public static <A, B> Chan<Void> pipelineAsync(int n, WritePort<? super B> to,
                                                  java.util.function.BiConsumer<? super A, ? super Chan<B>> af,
                                                  ReadPort<? extends A> from) {
        return Pipelines.pipelineAsync(n, to, af, from);
    }

    /** {@link Pipelines#pipelineAsync(int, WritePort, java.util.function.BiConsumer, ReadPort, boolean, Function)}. */
    public static <A, B> Chan<Void> pipelineAsync(int n, WritePort<? super B> to,
                                                  java.util.function.BiConsumer<? super A, ? super Chan<B>> af,
                                                  ReadPort<? extends A> from, boolean close,
                                                  Function<? super Throwable, ? extends B> exHandler) {
        return Pipelines.pipelineAsync(n, to, af, from, close, exHandler);
    }

    /** {@link Mult#of}: a mult of {@code ch}; every value goes to every tap. */
    public static <T> Mult<T> mult(ReadPort<? extends T> ch) {
        return Mult.of(ch);
    }

    /** {@link Mult#tap(WritePort)}: taps {@code ch} into {@code m}, closed with the source. */
    public static <T, W extends WritePort<? super T>> W tap(Mult<T> m, W ch) {
        return m.tap(ch);
    }

    /** {@link Mult#tap(WritePort, boolean)}. */
    public static <T, W extends WritePort<? super T>> W tap(Mult<T> m, W ch, boolean close) {
        return m.tap(ch, close);
    }

    /** {@link Mult#untap}. */
    public static <T> void untap(Mult<T> m, WritePort<? super T> ch) {
        m.untap(ch);
    }

    /** {@link Mult#untapAll}. */
    public static void untapAll(Mult<?> m) {
        m.untapAll();
    }

    /** {@link Pub#of(ReadPort, Function)}: a pub of {@code ch} by topic, unbuffered topics. */
    public static <T> Pub<T> pub(ReadPort<? extends T> ch, Function<? super T, ?> topicFn) {
        return Pub.of(ch, topicFn);
    }

    /** {@link Pub#of(ReadPort, Function, Function)}: a pub with a buffer per topic. */
    public static <T> Pub<T> pub(ReadPort<? extends T> ch, Function<? super T, ?> topicFn,
                                 Function<Object, ? extends Buffer<T>> bufFn) {
        return Pub.of(ch, topicFn, bufFn);
    }

    /** {@link Pub#sub(Object, WritePort)}. */
    public static <T, W extends WritePort<? super T>> W sub(Pub<T> p, Object topic, W ch) {
        return p.sub(topic, ch);
    }

    /** {@link Pub#sub(Object, WritePort, boolean)}. */
    public static <T, W extends WritePort<? super T>> W sub(Pub<T> p, Object topic, W ch, boolean close) {
        return p.sub(topic, ch, close);
    }

    /** {@link Pub#unsub}. */
    public static <T> void unsub(Pub<T> p, Object topic, WritePort<? super T> ch) {
        p.unsub(topic, ch);
    }

    /** {@link Pub#unsubAll()}. */
    public static void unsubAll(Pub<?> p) {
        p.unsubAll();
    }

    /** {@link Pub#unsubAll(Object)}. */
    public static void unsubAll(Pub<?> p, Object topic) {
        p.unsubAll(topic);
    }

    /** {@link Mix#of}: a mix writing to {@code out}. */
    public static <T> Mix<T> mix(WritePort<? super T> out) {
        return Mix.of(out);
    }

    /** {@link Mix#admix}. */
    public static <T> void admix(Mix<T> m, ReadPort<? extends T> ch) {
        m.admix(ch);
    }

    /** {@link Mix#unmix}. */
    public static <T> void unmix(Mix<T> m, ReadPort<? extends T> ch) {
        m.unmix(ch);
    }

    /** {@link Mix#unmixAll}. */
    public static void unmixAll(Mix<?> m) {
        m.unmixAll();
    }

    /** {@link Mix#toggle(ReadPort, java.util.Map)}. */
    public static <T> void toggle(Mix<T> m, ReadPort<? extends T> ch, java.util.Map<Mix.Flag, Boolean> flags) {
        m.toggle(ch, flags);
    }

    /** {@link Mix#soloMode}. */
    public static void soloMode(Mix<?> m, Mix.Flag mode) {
        m.soloMode(mode);
    }

    /** {@link Ticker#every(Duration)}: a channel receiving the time every {@code period} (sliding buffer of 1). */
    public static Chan<java.time.Instant> ticker(Duration period) {
        return Ticker.every(period);
    }

    /** {@link Ticker#every(long)}: a ticker in milliseconds. */
    public static Chan<java.time.Instant> ticker(long millis) {
        return Ticker.every(millis);
    }

    /** {@link Flows#publisher(ReadPort)}: {@code ch} as a unicast {@link java.util.concurrent.Flow.Publisher}. */
    public static <T> java.util.concurrent.Flow.Publisher<T> publisher(ReadPort<? extends T> ch) {
        return Flows.publisher(ch);
    }

    /** {@link Flows#subscriber(WritePort, int)}: a {@link java.util.concurrent.Flow.Subscriber} feeding {@code ch}. */
    public static <T> Flows.ChannelSubscriber<T> subscriber(WritePort<? super T> ch, int batch) {
        return Flows.subscriber(ch, batch);
    }

    // ------------- combinators (end)
}
