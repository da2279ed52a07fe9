package io.csp4j.vertx;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ReadPort;
import io.csp4j.WritePort;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Channels meet Vert.x: {@link Future} to and from a promise channel, {@code await} and {@code go}
 * with Vert.x futures, and {@link ReadStream}/{@link WriteStream} to and from a channel with
 * back-pressure. The Vert.x counterpart of {@link Csp}: {@code import static io.csp4j.vertx.VertxCsp.*;}.
 *
 * {@snippet :
 * // inside a verticle, with Csp.useDispatcher(VertxDispatcher.over(vertx)) done once at start-up
 * Chan<Buffer> lines = VertxCsp.toChan(socket, 64);          // pauses the socket while the channel is full
 * Future<Integer> total = VertxCsp.goFuture(() -> {
 *     int n = 0;
 *     for (Buffer b; (b = lines.take()) != null; ) n += b.length();  // parks, never blocks the loop
 *     return n;
 * });
 * }
 *
 * <h2>Which thread touches what</h2>
 * A Vert.x stream belongs to a context and must be used from it. The stream adapters capture
 * {@link Vertx#currentContext()} when they are created (so create them on the stream's context: in
 * the verticle, or in the handler that received the stream); a {@link ReadStream} adapter created
 * elsewhere learns the context from the first event the stream delivers. Channel callbacks
 * ({@code putAsync}, {@code takeAsync}) run on the dispatcher's lane: with a {@link VertxDispatcher}
 * that is the very context they were issued from, otherwise the adapter hops back to the stream's
 * context with {@link Context#runOnContext}. Every touch of a stream, and every state change of an
 * adapter, therefore happens on the stream's context, one at a time.
 *
 * <p>Futures returned here deliver their callbacks on the context that called the method, when there
 * is one ({@link Future#fromCompletionStage(CompletionStage, Context)}).
 *
 * <p>All methods are thread-safe and reject {@code null} arguments with {@link NullPointerException}.
 * None of them parks or blocks except {@link #await(Future)}.
 */
public final class VertxCsp {

    private VertxCsp() {}

    // ------------------------------------------------------------------------------------- futures

    /**
     * A promise channel that receives {@code future}'s value: every take returns it once the future
     * has succeeded. A future that succeeds with {@code null}, or fails, closes the channel without a
     * value (takes return {@code null}); a failure's cause goes to the engine's uncaught-exception
     * handler (see {@link Csp#setUncaughtExceptionHandler}), as an exception escaping a go block does.
     * To turn a failure into a value, recover the future first:
     * {@code toChan(future.recover(e -> Future.succeededFuture(fallback)))}.
     *
     * {@snippet :
     * Chan<HttpServer> started = VertxCsp.toChan(vertx.createHttpServer().listen(0));
     * go(() -> System.out.println("listening on " + started.take().actualPort()));
     * }
     *
     * @param future the future; not {@code null}; may already be complete
     * @param <T> the type of the value
     * @return a new promise channel; never {@code null}
     * @throws NullPointerException if {@code future} is null
     */
    public static <T> Chan<T> toChan(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return toChan(future, VertxCsp::reportToEngine);
    }

    /**
     * Like {@link #toChan(Future)}, but a failure's cause goes to {@code onFailure} instead: it is
     * called where the future completes, <em>before</em> the channel closes, so a taker that gets
     * {@code null} can rely on the handler having run. What {@code onFailure} throws goes to the
     * engine's uncaught-exception handler; the channel closes anyway.
     *
     * {@snippet :
     * Chan<Buffer> body = VertxCsp.toChan(request.body(), e -> log.warn("upload failed", e));
     * }
     *
     * @param future the future; not {@code null}
     * @param onFailure receives the cause of a failure; not {@code null}; must not block
     * @param <T> the type of the value
     * @return a new promise channel; never {@code null}
     * @throws NullPointerException if an argument is null
     */
    public static <T> Chan<T> toChan(Future<T> future, Consumer<? super Throwable> onFailure) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(onFailure, "onFailure");
        Chan<T> ch = Csp.promiseChan();
        future.onComplete(result -> {
            try {
                if (result.succeeded()) {
                    T v = result.result();
                    if (v != null) {
                        ch.offer(v); // a promise channel always accepts its first value
                    }
                } else {
                    onFailure.accept(result.cause());
                }
            } catch (Throwable t) {
                reportToEngine(t);
            } finally {
                ch.close();
            }
        });
        return ch;
    }

    /**
     * A future of the next value taken from {@code port}: it succeeds with that value, or with
     * {@code null} if the channel is closed and drained; it fails if the take is refused (1024 takes
     * already pending). Takes exactly one value, without waiting; callbacks of the future run on the
     * caller's context if there is one.
     *
     * {@snippet :
     * Chan<String> answer = go(() -> "42");
     * VertxCsp.toFuture(answer).onSuccess(v -> response.end(v));
     * }
     *
     * @param port the channel; not {@code null}
     * @param <T> the type of the value
     * @return a future; never {@code null}
     * @throws NullPointerException if {@code port} is null
     */
    public static <T> Future<T> toFuture(ReadPort<T> port) {
        Objects.requireNonNull(port, "port");
        CompletionStage<T> taken;
        try {
            taken = port.takeAsync();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return onCallersContext(taken);
    }

    /**
     * Waits for {@code future} and returns its value, or throws its failure: parks the process inside
     * a go block (in loop mode the event loop goes on with other work), blocks an ordinary thread.
     * Never use it on an event loop outside a go block. The same as
     * {@code Csp.await(future.toCompletionStage())}.
     *
     * {@snippet :
     * go(() -> {
     *     HttpServer s = VertxCsp.await(vertx.createHttpServer().requestHandler(h).listen(0));
     *     System.out.println(s.actualPort());
     * });
     * }
     *
     * @param future the future; not {@code null}
     * @param <T> the type of the value
     * @return the value (may be {@code null} for a {@code Future<Void>})
     * @throws NullPointerException if {@code future} is null
     * @throws RuntimeException the failure itself when unchecked; a checked one wrapped in
     *     {@link java.util.concurrent.CompletionException}
     * @throws IllegalStateException on a dispatcher thread (an event loop) outside a process
     * @throws io.csp4j.CspInterruptedException if a blocked ordinary thread is interrupted
     */
    public static <T> T await(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return Csp.await(future.toCompletionStage());
    }

    /**
     * Starts {@code body} as a go block (like {@link Csp#go(Csp.Body)}) and returns a Vert.x future
     * of its result: it succeeds with the returned value ({@code null} allowed) or fails with what the
     * body threw (which is then not reported elsewhere). Called from a verticle with a
     * {@link VertxDispatcher} in use, the body runs on the verticle's context (loop mode) and the
     * future's callbacks too.
     *
     * {@snippet :
     * router.get("/answer").handler(rc -> VertxCsp.goFuture(() -> {
     *     var r = alts(backend(), timeout(80));
     *     return r.value() == null ? "timed out" : (String) r.value();
     * }).onSuccess(rc::end));
     * }
     *
     * @param body the body; not {@code null}
     * @param <T> the type of the result
     * @return the future of the body's result; never {@code null}
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> Future<T> goFuture(Csp.Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        return onCallersContext(Csp.<T>goFuture(body));
    }

    /**
     * Starts {@code body} as a go block and returns a Vert.x future that succeeds when it ends, or
     * fails with what it threw. See {@link #goFuture(Csp.Body)}.
     *
     * @param body the body; not {@code null}
     * @return the future of the body's end; never {@code null}
     * @throws NullPointerException if {@code body} is null
     */
    public static Future<Void> goFuture(Csp.VoidBody body) {
        Objects.requireNonNull(body, "body");
        return onCallersContext(Csp.goFuture(body));
    }

    // ------------------------------------------------------------------------------------- streams

    /**
     * A channel with a buffer of {@code capacity} fed by {@code stream}, with back-pressure: the
     * stream is paused while the channel is full and resumed when there is room again; the end of the
     * stream closes the channel (after the last item); a stream exception closes it too. Closing the
     * channel stops the feed: the stream stays paused and its handlers are removed. At most
     * {@code capacity} + 1 items are outside the stream and not yet taken (the buffer and one pending
     * put), plus whatever a stream delivers after being paused. Call it on the stream's context.
     *
     * {@snippet :
     * server.connectHandler(socket -> {
     *     Chan<Buffer> in = VertxCsp.toChan(socket, 16);
     *     go(() -> { for (Buffer b; (b = in.take()) != null; ) handle(b); });
     * });
     * }
     *
     * @param stream the stream; not {@code null}; its handler, end handler and exception handler are
     *     replaced
     * @param capacity the channel's buffer, {@code >= 1}
     * @param <T> the type of the items
     * @return the new channel; never {@code null}
     * @throws NullPointerException if {@code stream} is null
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Chan<T> toChan(ReadStream<T> stream, int capacity) {
        return toChan(stream, capacity, e -> {});
    }

    /**
     * {@link #toChan(ReadStream, int)} with a handler of the stream's exception: called once, on the
     * stream's context, before the channel is closed.
     *
     * @param stream the stream; not {@code null}
     * @param capacity the channel's buffer, {@code >= 1}
     * @param onError receives the stream's failure; not {@code null}
     * @param <T> the type of the items
     * @return the new channel; never {@code null}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public static <T> Chan<T> toChan(ReadStream<T> stream, int capacity, Consumer<? super Throwable> onError) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(onError, "onError");
        if (capacity < 1) {
            throw new IllegalArgumentException("toChan(stream, capacity) needs a buffer of at least 1, was " + capacity
                    + ": back-pressure pauses the stream when the buffer is full");
        }
        Chan<T> ch = Csp.chan(capacity);
        pipe(stream, ch, true).onFailure(onError::accept);
        return ch;
    }

    /**
     * Feeds {@code stream}'s items into {@code channel} with back-pressure: an item the channel does
     * not accept at once is put asynchronously and the stream is paused until the put completes
     * (items the stream still delivers meanwhile are queued, in order, and put first). When the
     * stream ends, the channel is closed if {@code close} says so. Call it on the stream's context.
     *
     * <p>The returned future succeeds when the stream has ended and every item was put, or when the
     * channel was closed by someone else (the stream is then left paused, its handlers removed, and
     * the items not accepted are dropped; a put pending at the close is still delivered to a later
     * taker, as closing loses no value, so the future completes once that put is taken); it fails with the stream's exception (the channel is then
     * closed if {@code close} says so, after the items already received).
     *
     * {@snippet :
     * Chan<Buffer> uploads = chan(32);
     * request.pause();
     * VertxCsp.pipe(request, uploads, false).onSuccess(v -> request.response().end("ok"));
     * }
     *
     * @param stream the source; not {@code null}; its handler, end handler and exception handler are
     *     replaced, and it is resumed
     * @param channel the destination; not {@code null}
     * @param close whether to close {@code channel} when the stream ends or fails
     * @param <T> the type of the items
     * @return a future of the end of the feed, completed on the stream's context; never {@code null}
     * @throws NullPointerException if an argument is null
     */
    public static <T> Future<Void> pipe(ReadStream<T> stream, WritePort<T> channel, boolean close) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(channel, "channel");
        return new ReadStreamPump<>(stream, channel, close, Vertx.currentContext()).start();
    }

    /**
     * Writes every value taken from {@code channel} to {@code stream}, with back-pressure: while
     * {@link WriteStream#writeQueueFull()} nothing is taken (so the channel's producers park), and
     * taking goes on from the stream's {@code drainHandler}. When the channel is closed and drained,
     * the stream is ended ({@link WriteStream#end()}) if {@code end} says so. Call it on the stream's
     * context; off any context, the stream is used from the dispatcher's threads, one call at a time.
     *
     * <p>The returned future succeeds once the channel is closed and drained (and the stream ended,
     * when asked); it fails with the first failed write or a failed end, after which nothing more is
     * taken (the channel is left open: close it to release its producers).
     *
     * {@snippet :
     * Chan<Buffer> out = chan(16);
     * VertxCsp.pipe(out, socket, true);
     * go(() -> { for (int i = 0; i < 3; i++) out.put(Buffer.buffer("line " + i + "\n")); out.close(); });
     * }
     *
     * @param channel the source; not {@code null}
     * @param stream the destination; not {@code null}; its drain handler is replaced
     * @param end whether to end {@code stream} when the channel is closed and drained
     * @param <T> the type of the items
     * @return a future of the end of the transfer; never {@code null}
     * @throws NullPointerException if an argument is null
     */
    public static <T> Future<Void> pipe(ReadPort<T> channel, WriteStream<T> stream, boolean end) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(stream, "stream");
        return new WriteStreamPump<>(channel, stream, end, Vertx.currentContext()).start();
    }

    // ------------------------------------------------------------------------------------- helpers

    /** Reports {@code t} to the engine's uncaught-exception handler, as a failing go block would. */
    private static void reportToEngine(Throwable t) {
        Csp.report(t);
    }

    /** {@code stage} as a Vert.x future whose callbacks run on the caller's context, if it has one. */
    private static <T> Future<T> onCallersContext(CompletionStage<T> stage) {
        Context ctx = Vertx.currentContext();
        return ctx == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, ctx);
    }

    /** Runs {@code action} now if the caller is on {@code ctx} (or there is none), else on {@code ctx}. */
    static void onContext(Context ctx, Runnable action) {
        if (ctx == null || Vertx.currentContext() == ctx) {
            action.run();
        } else {
            ctx.runOnContext(v -> action.run());
        }
    }
}
