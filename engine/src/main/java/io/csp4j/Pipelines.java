package io.csp4j;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.thread;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/*
 * Overview of implementation (core.async's pipeline*, on the public API)
 *
 *   from --(input process)--> jobs (buffer n)  --(n workers)--> each job's result channel
 *                        \--> results (buffer n): the result channels, in input order
 *   results --(output process: drain each result channel in turn)--> to
 *
 * For each value the input process makes a result channel (unbounded buffer: a worker never parks
 * on it), puts the job on `jobs` and the result channel on `results`. A worker applies the
 * transformation (or starts the async function) and closes the job's result channel. The output
 * process takes result channels in input order and drains each into `to`: the output order is the
 * input order whatever the parallelism. At most n jobs wait in `jobs` and n result channels in
 * `results`, so at most about 2n + n values are in flight (back-pressure from `to`).
 *
 * Kinds:   pipeline          workers are go blocks (the transformation must not block)
 *          pipelineBlocking  workers are thread(...) (virtual threads; blocking allowed)
 *          pipelineAsync     workers are go blocks calling af(value, resultChannel); af must put
 *                            its results and close the channel later, without blocking
 *
 * States of the whole: RUNNING -> (from closes) DRAINING (jobs and results closed, workers end)
 *                      -> DONE (output drained; `to` closed if `close`; the returned channel closes)
 *
 * Differences from core.async: the transformation is applied per value with a fresh binding (as in
 * core.async, so stateful transformations see one value at a time); pipelineAsync takes an exception
 * handler too (for an af that throws at once); every pipeline returns a channel that closes when the
 * pipeline is done.
 */

/**
 * Parallel pipelines, core.async {@code pipeline}, {@code pipeline-blocking} and
 * {@code pipeline-async}: values from {@code from} are processed by {@code n} workers in parallel and
 * their results put on {@code to} <em>in the order of the inputs</em>.
 *
 * <p>Every method returns at once; the pipeline runs in processes. When {@code from} closes, the
 * pipeline finishes the values in flight and then closes {@code to} (unless {@code close} is false).
 * If {@code to} is closed early, the results still arriving are dropped. The exception handler
 * receives what the transformation throws; its non-null result is put in place of that value's
 * outputs (a {@code null} result: the value yields nothing; no handler: the exception goes to the
 * uncaught-exception handler and the value yields nothing). All methods are thread-safe; {@code null} arguments (except the
 * exception handler) throw {@link NullPointerException}.
 *
 * {@snippet :
 * Chan<String> out = chan(16);
 * Pipelines.pipeline(4, out, Xform.map((Integer n) -> "#" + n), numbers);
 * out.take(); // "#1": the first input's result, whichever worker finished first
 * }
 */
public final class Pipelines {

    private Pipelines() {}

    /** What the input process hands to a worker: one value and the channel for its results. */
    private record Job<A, B>(A value, Chan<B> result) {}

    /** Which kind of worker runs the jobs. */
    private enum Kind {
        /** go blocks applying a transformation. */
        COMPUTE,
        /** virtual threads applying a transformation. */
        BLOCKING,
        /** go blocks calling an asynchronous function. */
        ASYNC
    }

    /**
     * {@link #pipeline(int, WritePort, Xform, ReadPort, boolean, Function)} closing {@code to} when
     * {@code from} closes, reporting exceptions.
     */
    public static <A, B> Chan<Void> pipeline(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                             ReadPort<? extends A> from) {
        return pipeline(n, to, xform, from, true, null);
    }

    /**
     * Runs each value of {@code from} through {@code xform} in {@code n} go blocks and puts the
     * outputs on {@code to} in input order. The transformation runs inside processes: it must not
     * block (in loop mode it runs on a dispatcher thread); use {@link #pipelineBlocking} for
     * blocking work.
     *
     * {@snippet :
     * Chan<Void> done = pipeline(8, out, Xform.map(Parser::parse), lines, true, e -> Parsed.error(e));
     * }
     *
     * @param n the parallelism, at least 1
     * @param close whether to close {@code to} once {@code from} closed and all results are out
     * @param exHandler turns an exception of {@code xform} into a value to output, or {@code null}
     *     (also allowed as the handler itself) to output nothing; without a handler the exception is
     *     reported to the uncaught-exception handler
     * @return a channel that closes when the pipeline is done
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <A, B> Chan<Void> pipeline(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                             ReadPort<? extends A> from, boolean close,
                                             Function<? super Throwable, ? extends B> exHandler) {
        Objects.requireNonNull(xform, "xform");
        return start(Kind.COMPUTE, n, to, xform, null, from, close, exHandler);
    }

    /** {@link #pipelineBlocking(int, WritePort, Xform, ReadPort, boolean, Function)} closing {@code to}. */
    public static <A, B> Chan<Void> pipelineBlocking(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                                     ReadPort<? extends A> from) {
        return pipelineBlocking(n, to, xform, from, true, null);
    }

    /**
     * Like {@link #pipeline(int, WritePort, Xform, ReadPort, boolean, Function)}, but the {@code n}
     * workers are {@link Csp#thread} virtual threads, so the transformation may block (I/O, JDBC,
     * {@code Thread.sleep}).
     *
     * {@snippet :
     * pipelineBlocking(32, pages, Xform.map(url -> httpGet(url)), urls);
     * }
     *
     * @return a channel that closes when the pipeline is done
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <A, B> Chan<Void> pipelineBlocking(int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                                     ReadPort<? extends A> from, boolean close,
                                                     Function<? super Throwable, ? extends B> exHandler) {
        Objects.requireNonNull(xform, "xform");
        return start(Kind.BLOCKING, n, to, xform, null, from, close, exHandler);
    }

    /** {@link #pipelineAsync(int, WritePort, BiConsumer, ReadPort, boolean, Function)} closing {@code to}. */
    public static <A, B> Chan<Void> pipelineAsync(int n, WritePort<? super B> to, BiConsumer<? super A, ? super Chan<B>> af,
                                                  ReadPort<? extends A> from) {
        return pipelineAsync(n, to, af, from, true, null);
    }

    /**
     * For each value {@code v} of {@code from}, calls {@code af.accept(v, result)}; {@code af} must
     * start the work and return at once, and later put the outputs on {@code result} (with
     * {@code putAsync}, or from a process) and then close it. The outputs go on {@code to} in input
     * order; the output waits for each result channel to close before moving on, so an {@code af}
     * that never closes its channel stalls the pipeline. At most about {@code n} calls are in flight.
     *
     * {@snippet :
     * pipelineAsync(4, out, (Integer v, Chan<String> result) ->
     *         client.get(v).thenAccept(body -> { result.offer(body); result.close(); }), ids);
     * }
     *
     * @param exHandler turns an exception thrown by {@code af} itself into an output (the result
     *     channel is then closed), or {@code null}
     * @return a channel that closes when the pipeline is done
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static <A, B> Chan<Void> pipelineAsync(int n, WritePort<? super B> to, BiConsumer<? super A, ? super Chan<B>> af,
                                                  ReadPort<? extends A> from, boolean close,
                                                  Function<? super Throwable, ? extends B> exHandler) {
        Objects.requireNonNull(af, "af");
        return start(Kind.ASYNC, n, to, null, af, from, close, exHandler);
    }

    // ----------------------------------------------------------------------------------- engine

    private static <A, B> Chan<Void> start(Kind kind, int n, WritePort<? super B> to, Xform<? super A, ? extends B> xform,
                                           BiConsumer<? super A, ? super Chan<B>> af, ReadPort<? extends A> from,
                                           boolean close, Function<? super Throwable, ? extends B> exHandler) {
        if (n < 1) {
            throw new IllegalArgumentException("A pipeline needs a parallelism n >= 1, was " + n);
        }
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Chan<Job<A, B>> jobs = chan(n);
        Chan<Chan<B>> results = chan(n);

        // Workers: each takes jobs until `jobs` closes.
        for (int i = 0; i < n; i++) {
            Csp.Body<Void> worker = () -> {
                for (Job<A, B> job = jobs.take(); job != null; job = jobs.take()) {
                    if (kind == Kind.ASYNC) {
                        runAsync(af, job, exHandler);
                    } else {
                        runXform(xform, job, exHandler);
                    }
                }
                return null;
            };
            if (kind == Kind.BLOCKING) {
                thread(worker);
            } else {
                go(worker);
            }
        }

        // Input: one job and one result channel per value, in order.
        go(() -> {
            for (A v = from.take(); v != null; v = from.take()) {
                Chan<B> result = chan(Buffers.unbounded());
                jobs.put(new Job<>(v, result));
                results.put(result);
            }
            jobs.close();
            results.close();
        });

        // Output: drain the result channels in input order.
        return go(() -> {
            for (Chan<B> result = results.take(); result != null; result = results.take()) {
                for (B b = result.take(); b != null; b = result.take()) {
                    if (!to.put(b)) {
                        break;
                    }
                }
            }
            if (close) {
                to.close();
            }
        });
    }

    /** Applies a fresh binding of {@code xform} to the job's value, collecting into its result channel. */
    @SuppressWarnings("unchecked")
    private static <A, B> void runXform(Xform<? super A, ? extends B> xform, Job<A, B> job,
                                        Function<? super Throwable, ? extends B> exHandler) {
        Chan<B> result = job.result();
        try {
            Xform.Sink<A> sink = ((Xform<A, B>) xform).bind(b -> {
                result.offer(b); // unbounded: always accepted
                return true;
            });
            sink.accept(job.value());
            sink.complete();
        } catch (Throwable t) {
            handle(t, result, exHandler);
        } finally {
            result.close();
        }
    }

    /** Starts {@code af} on the job; it closes the result channel itself, unless it throws at once. */
    private static <A, B> void runAsync(BiConsumer<? super A, ? super Chan<B>> af, Job<A, B> job,
                                        Function<? super Throwable, ? extends B> exHandler) {
        try {
            af.accept(job.value(), job.result());
        } catch (Throwable t) {
            handle(t, job.result(), exHandler);
            job.result().close();
        }
    }

    private static <B> void handle(Throwable t, Chan<B> result, Function<? super Throwable, ? extends B> exHandler) {
        if (exHandler == null) {
            report(t);
            return;
        }
        try {
            B alt = exHandler.apply(t);
            if (alt != null) {
                result.offer(alt);
            }
        } catch (Throwable handlerFailure) {
            handlerFailure.addSuppressed(t);
            report(handlerFailure);
        }
    }

    /** Sends {@code t} to the uncaught-exception handler (a process that throws it reaches it); used by every combinator. */
    static void report(Throwable t) {
        go(() -> {
            if (t instanceof Error e) {
                throw e;
            }
            throw t instanceof Exception e ? e : new RuntimeException(t);
        });
    }
}
