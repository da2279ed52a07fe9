package io.csp4j.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The one place that touches {@code jdk.internal.vm.Continuation}, reached through method handles so
 * that the engine compiles with {@code --release 21} and needs no compile-time flag.
 *
 * <p>At run time the package must be exported to the engine: on the class path,
 * {@value #JVM_OPTION} (or {@code Add-Exports: java.base/jdk.internal.vm} in an executable jar's
 * manifest); on the module path, {@code --add-exports java.base/jdk.internal.vm=io.csp4j.engine}.
 * Without it {@link #AVAILABLE} is false and processes run in virtual mode.
 *
 * <p>A continuation runs on the thread that calls {@link #run}; {@link #yield} returns control to
 * that caller, and the next {@code run} (on any thread) continues after the yield. Yielding fails
 * with {@code IllegalStateException("Pinned: NATIVE")} (or {@code CRITICAL_SECTION}) when the
 * continuation cannot be unmounted. ({@code Continuation.isPinned} is not used to tell in advance: called
 * through a method handle it reports the handle's own frames as pinning.)
 */
final class Continuations {

    /** The JVM option that enables loop mode on the class path. */
    static final String JVM_OPTION = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    static final boolean AVAILABLE;
    /** Why loop mode is unavailable, for the log line and the error; null when available. */
    static final Throwable UNAVAILABLE_CAUSE;

    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle STACK;

    static {
        Object scope = null;
        MethodHandle create = null, run = null, yield = null, isDone = null, stack = null;
        Throwable cause = null;
        try {
            Class<?> scopeType = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contType = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            scope = lookup.findConstructor(scopeType, MethodType.methodType(void.class, String.class))
                    .invoke("csp4j");
            create = lookup.findConstructor(contType, MethodType.methodType(void.class, scopeType, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = lookup.findVirtual(contType, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = lookup.findStatic(contType, "yield", MethodType.methodType(boolean.class, scopeType))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            isDone = lookup.findVirtual(contType, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            stack = lookup.findVirtual(contType, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable t) {
            cause = t;
        }
        AVAILABLE = cause == null;
        UNAVAILABLE_CAUSE = cause;
        SCOPE = scope;
        NEW = create;
        RUN = run;
        YIELD = yield;
        IS_DONE = isDone;
        STACK = stack;
    }

    private Continuations() {}

    /** A new, not yet started continuation that will run {@code body}. */
    static Object create(Runnable body) {
        try {
            return (Object) NEW.invokeExact((Object) SCOPE, body);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs {@code continuation} on this thread until it yields or ends. */
    static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Suspends the current continuation; returns when it is run again. */
    static void yield() {
        try {
            boolean ignored = (boolean) YIELD.invokeExact((Object) SCOPE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean isDone(Object continuation) {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The frames of an unmounted continuation, innermost first (for the process dump). The caller
     * makes sure nobody runs it meanwhile: it calls this on the continuation's own lane thread,
     * between steps.
     */
    static StackTraceElement[] stackTrace(Object continuation) {
        try {
            return (StackTraceElement[]) STACK.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
