package io.csp4j.internal;

import io.csp4j.Chan;
import io.csp4j.CspInterruptedException;
import io.csp4j.ProcessMode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Starting processes ({@code go}, {@code thread}) and the ways a process waits for something other
 * than a channel ({@code sleep}, {@code await}).
 *
 * <pre>
 * mode      go(body) runs the body                         parks with
 * LOOP      as a {@link LoopProcess}: dispatcher.spawn(),   continuation yield; resumed by a task on the lane
 *           then the lane its first step ran on
 * VIRTUAL   as a {@link VirtualProcess} (a virtual thread) LockSupport.park on that virtual thread
 * thread()  on a new virtual thread, in both modes        (may block freely)
 * </pre>
 */
public final class Processes {

    /** A go block's body. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("csp4j-thread-", 0).factory();

    private Processes() {}

    /** Starts {@code body} as a process; its result goes to a new channel of buffer 1, which then closes. */
    public static <T> Chan<T> go(Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        GoResult<T> out = new GoResult<>(body);
        start(Engine.processMode(), out);
        return out;
    }

    /** Starts {@code body} as a process; the returned channel closes when it ends. */
    public static Chan<Void> go(io.csp4j.Csp.VoidBody body) {
        Objects.requireNonNull(body, "body");
        GoResult<Void> out = new GoResult<>(body);
        start(Engine.processMode(), out);
        return out;
    }

    /** Starts {@code body} as a process; its result (or exception) completes the future. */
    public static <T> CompletableFuture<T> goFuture(Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        CompletableFuture<T> f = new CompletableFuture<>();
        start(Engine.processMode(), () -> {
            try {
                f.complete(body.run());
            } catch (Throwable t) {
                JfrEvents.failed(currentLabel(), t);
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs blocking {@code body} on a new virtual thread; its result goes to a new channel. */
    public static <T> Chan<T> thread(Body<? extends T> body) {
        Objects.requireNonNull(body, "body");
        GoResult<T> out = new GoResult<>(body);
        THREADS.newThread(out).start();
        return out;
    }

    /** The process (or thread) running this code, as diagnostics name it. */
    static String currentLabel() {
        GoProcess p = GoProcess.current();
        return p != null ? p.toString() : Thread.currentThread().toString();
    }

    static void start(ProcessMode mode, Runnable body) {
        if (mode == ProcessMode.LOOP) {
            new LoopProcess(body, Engine.dispatcher()).start();
        } else {
            new VirtualProcess(body, null, null).start();
        }
    }

    /**
     * A new process of {@code mode}, not yet started ({@link GoProcess#start()}), with a name and the
     * scope it belongs to (both may be {@code null}).
     */
    public static GoProcess create(ProcessMode mode, Runnable body, String name, Object scope) {
        return mode == ProcessMode.LOOP
                ? new LoopProcess(body, Engine.dispatcher(), name, scope)
                : new VirtualProcess(body, name, scope);
    }

    /** Parks the process (or blocks the thread) for {@code d}. */
    public static void sleep(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (GoProcess.current() != null) {
            Timers.timeout(d).take(); // a park point in both modes: cancellable, and it frees the lane
            return;
        }
        Engine.checkMayBlock("sleep()", "timeout(d).takeAsync(...)");
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CspInterruptedException("sleep() was interrupted");
        }
    }

    /**
     * Waits for {@code stage}: parks a process (either mode), blocks any other thread. Returns its value
     * or throws its exception (a checked one wrapped in {@link CompletionException}).
     */
    @SuppressWarnings("unchecked")
    public static <T> T await(CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        GoProcess p = GoProcess.current();
        if (p == null) {
            Engine.checkMayBlock("await()", "the stage's own callbacks (thenAccept, whenComplete)");
            try {
                return stage.toCompletableFuture().get();
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CspInterruptedException("await() was interrupted");
            }
        }
        p.checkCancelled("await()");
        ParkingHandler h = new ParkingHandler(p);
        AtomicBoolean fired = new AtomicBoolean();
        BiConsumer<T, Throwable> onDone = (v, e) -> {
            if (fired.compareAndSet(false, true)) {
                h.fire(e == null ? v : new Failure(e));
            }
        };
        ((CompletionStage<T>) stage).whenComplete(onDone);
        Object r = h.await(x -> fired.compareAndSet(false, true), "await()", stage);
        if (r instanceof Failure f) {
            throw rethrow(f.error);
        }
        return (T) r;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof CompletionException c && c.getCause() != null) {
            t = c.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new CompletionException(t);
    }

    /** An exceptional outcome, boxed so it can travel as a handler's result. */
    private record Failure(Throwable error) {}
}
