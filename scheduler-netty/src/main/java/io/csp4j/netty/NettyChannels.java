package io.csp4j.netty;

import static io.csp4j.Csp.altsAsync;
import static io.csp4j.Csp.takeOp;

import io.csp4j.AltOp;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ReadPort;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Netty's {@link Future}s and {@link Promise}s meet csp4j channels: a future becomes a promise
 * channel ({@link #toChan}) or a {@link CompletableFuture} ({@link #toStage}), a go block waits for
 * a future without holding its thread ({@link #await}), and a channel's next value becomes a Netty
 * {@link Promise} ({@link #toPromise}).
 *
 * <p>Overview of implementation. Everything is built on the engine's public API ({@code io.csp4j})
 * and Netty's listeners; nothing here blocks or parks except {@link #await}.
 * <ul>
 *   <li><b>Future to channel.</b> A listener on the future puts the outcome on a
 *       {@link Csp#promiseChan() promise channel} with {@code offer} (a promise buffer always accepts)
 *       and then closes it. The listener runs where Netty runs it: on the future's executor, or on
 *       the caller's stack when the future is already done; neither offer nor close calls user code
 *       there, since channel callbacks always go through the dispatcher.</li>
 *   <li><b>Failure.</b> A channel carries no errors (core.async's promise channels neither), so a
 *       failed future <em>closes the channel empty</em>: takers get {@code null}. The cause is not
 *       lost: {@link #toChan(Future)} hands it to the engine's uncaught-exception handler (see
 *       {@link Csp#setUncaughtExceptionHandler}), {@link #toChan(Future, Consumer)} to the caller's
 *       handler, and {@link #toStage(Future)} / {@link #await(Future)} keep it as the exception. A
 *       cancelled future also closes the channel empty; it is an outcome the application chose, so
 *       only the handler variant reports it (as a {@link CancellationException}).</li>
 *   <li><b>Channel to promise.</b> One take, made with {@code altsAsync} against a private
 *       "cancelled" channel: cancelling the promise closes that channel, which wins the
 *       {@code alts} and withdraws the pending take at once, so no value is taken after it (a take
 *       that committed just before a cancellation is the one window: see {@link #toPromise}).
 *       A channel closed and drained completes the promise successfully with {@code null}
 *       (Netty's own convention for {@code Future<Void>}).</li>
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread. No argument may be {@code null}.
 */
public final class NettyChannels {

    private NettyChannels() {}

    /**
     * A promise channel that receives {@code future}'s value when it succeeds, and is then closed.
     * Every take returns that value, forever. When the future succeeds with {@code null} (a
     * {@code Future<Void>}), fails or is cancelled, the channel closes empty and takes return
     * {@code null}; a failure's cause goes to the engine's uncaught-exception handler, a cancellation
     * is not reported. Never blocks; the channel is complete once the future is.
     *
     * {@snippet :
     * Chan<Channel> connected = NettyChannels.toChan(bootstrap.connect(host, port));
     * go(() -> {
     *     Channel ch = connected.take(); // parks until connected; null if the connect failed
     *     // ...
     * });
     * }
     *
     * @param future a Netty future (a {@code ChannelFuture}, a {@link Promise}...); not {@code null}
     * @param <T> the type of the value
     * @return a new promise channel
     * @throws NullPointerException if {@code future} is null
     */
    public static <T> Chan<T> toChan(Future<? extends T> future) {
        return toChan(future, NettyChannels::reportToEngine, false);
    }

    /**
     * Like {@link #toChan(Future)}, but a failure's cause, and a {@link CancellationException} for a
     * cancelled future, go to {@code onFailure} instead; it is called on the thread that completes
     * the future, <em>before</em> the channel closes, so a taker that gets {@code null} can rely on
     * the handler having run. What {@code onFailure} throws is caught and goes to the engine's
     * uncaught-exception handler; the channel closes anyway.
     *
     * {@snippet :
     * Chan<String> reply = NettyChannels.toChan(promise, e -> log.warn("request failed", e));
     * }
     *
     * @param future a Netty future; not {@code null}
     * @param onFailure receives the cause of a failure or cancellation; not {@code null}; must not block
     * @param <T> the type of the value
     * @return a new promise channel
     * @throws NullPointerException if an argument is null
     */
    public static <T> Chan<T> toChan(Future<? extends T> future, Consumer<? super Throwable> onFailure) {
        Objects.requireNonNull(onFailure, "onFailure");
        return toChan(future, onFailure, true);
    }

    private static <T> Chan<T> toChan(Future<? extends T> future, Consumer<? super Throwable> onFailure,
                                      boolean reportCancellation) {
        Objects.requireNonNull(future, "future");
        Chan<T> out = Csp.promiseChan();
        future.addListener(done -> {
            try {
                if (future.isSuccess()) {
                    T v = future.getNow();
                    if (v != null) {
                        out.offer(v); // a promise buffer accepts every offer
                    }
                } else if (future.isCancelled()) {
                    if (reportCancellation) {
                        onFailure.accept(cancelled(future));
                    }
                } else {
                    onFailure.accept(future.cause());
                }
            } catch (Throwable t) {
                reportToEngine(t);
            } finally {
                out.close();
            }
        });
        return out;
    }

    /**
     * A {@link CompletableFuture} completed like {@code future}: with its value, with its cause, or
     * cancelled when it is cancelled. Cancelling the returned future cancels {@code future} too
     * ({@code cancel(false)}). Its dependent actions run on the thread that completes
     * {@code future} (usually its Netty executor) unless an {@code *Async} form is used. Never blocks.
     *
     * {@snippet :
     * CompletableFuture<Void> written = NettyChannels.toStage(channel.writeAndFlush(msg));
     * }
     *
     * @param future a Netty future; not {@code null}
     * @param <T> the type of the value
     * @return a new future
     * @throws NullPointerException if {@code future} is null
     */
    public static <T> CompletableFuture<T> toStage(Future<? extends T> future) {
        Objects.requireNonNull(future, "future");
        CompletableFuture<T> stage = new CompletableFuture<>();
        future.addListener(done -> {
            if (future.isSuccess()) {
                stage.complete(future.getNow());
            } else if (future.isCancelled()) {
                stage.completeExceptionally(cancelled(future));
            } else {
                stage.completeExceptionally(future.cause());
            }
        });
        stage.whenComplete((v, e) -> {
            if (stage.isCancelled()) {
                future.cancel(false);
            }
        });
        return stage;
    }

    /**
     * Waits for {@code future} and returns its value ({@code null} for a {@code Future<Void>}). In a
     * loop-mode go block this parks the process and frees its event loop until the future completes
     * (the process then resumes on its own lane); in a virtual-mode go block and on an ordinary
     * thread it blocks. This is {@link Csp#await} over {@link #toStage(Future)}.
     *
     * {@snippet :
     * go(() -> {
     *     Channel ch = NettyChannels.await(bootstrap.connect(host, port));
     *     NettyChannels.await(ch.writeAndFlush("hello\n"));
     * });
     * }
     *
     * @param future a Netty future; not {@code null}
     * @param <T> the type of the value
     * @return the value
     * @throws NullPointerException if {@code future} is null
     * @throws CancellationException if the future was cancelled
     * @throws RuntimeException the future's cause, if unchecked; a checked cause (such as
     *     {@code java.net.ConnectException}) is wrapped in a {@link CompletionException}
     * @throws IllegalStateException on an event-loop thread of the dispatcher outside any process
     *     (waiting there would freeze the loop): use {@code future.addListener} or {@link #toChan}
     */
    public static <T> T await(Future<? extends T> future) {
        return Csp.await(toStage(future));
    }

    /**
     * A promise, made by {@code executor}, that receives the next value taken from {@code port}; if
     * the port is closed and drained first it succeeds with {@code null}. Exactly one take is made.
     * Cancelling the promise (or completing it elsewhere) before a value arrives withdraws that take
     * at once: no value is taken from the port after that, so nothing is lost. One window remains: a
     * value whose take already committed while the promise is cancelled before receiving it is
     * dropped with the cancelled promise (the take and the promise cannot complete atomically). The
     * promise's listeners run on {@code executor} (Netty's rule). Never blocks.
     *
     * {@snippet :
     * Promise<String> reply = NettyChannels.toPromise(replies, ctx.executor());
     * reply.addListener(f -> ctx.writeAndFlush(f.getNow()));
     * }
     *
     * @param port the channel to take from; not {@code null}
     * @param executor the executor that owns the promise (e.g. {@code ctx.executor()}, an event loop);
     *     not {@code null}
     * @param <T> the type of the value
     * @return a new, uncompleted or already completed promise
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if 1024 takes are already pending on {@code port}
     */
    public static <T> Promise<T> toPromise(ReadPort<? extends T> port, EventExecutor executor) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(executor, "executor");
        Promise<T> promise = executor.newPromise();
        Chan<Object> cancelled = Csp.promiseChan();
        // Completed from elsewhere (cancelled, or set by the application): withdraw the take.
        promise.addListener(done -> cancelled.close());
        // Priority: when the promise was cancelled before the take began, the cancellation wins.
        List<AltOp> ops = List.of(takeOp(cancelled), takeOp(port));
        altsAsync(ops, true).whenComplete((r, e) -> {
            if (e != null) {
                promise.tryFailure(e);
            } else if (r.from(port)) {
                T v = r.valueAs(); // taken from port, a ReadPort<? extends T>
                promise.trySuccess(v);
            }
            // Otherwise the promise was completed elsewhere first: nothing was taken from port.
        });
        return promise;
    }

    private static CancellationException cancelled(Future<?> future) {
        Throwable cause = future.cause();
        if (cause instanceof CancellationException c) {
            return c;
        }
        CancellationException c = new CancellationException("The Netty future was cancelled: " + future);
        c.initCause(cause);
        return c;
    }

    /** Reports {@code t} to the engine's uncaught-exception handler, as a failing go block would. */
    private static void reportToEngine(Throwable t) {
        Csp.report(t);
    }
}
