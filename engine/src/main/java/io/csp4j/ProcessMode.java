package io.csp4j;

/**
 * How go blocks park without holding a thread. Chosen on first use (see
 * {@link Csp#processMode()}): {@link #LOOP} when the JVM allows it, else {@link #VIRTUAL}; the system
 * property {@value #PROPERTY} ({@code loop} or {@code virtual}) forces one, and
 * {@link Csp#useProcessMode(ProcessMode)} changes it for processes started afterwards.
 */
public enum ProcessMode {

    /**
     * The body runs as a one-shot continuation driven by the dispatcher: each step is a task on the
     * process's lane, so inside the body {@code Thread.currentThread()} is a dispatcher thread (the
     * verticle's event loop on Vert.x). Needs the JVM option
     * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}. A go block must not block its
     * thread in this mode: use {@link Csp#sleep}, {@link Csp#await} and {@link Csp#thread} instead of
     * {@code Thread.sleep}, {@code Future.get} and blocking I/O.
     */
    LOOP,

    /**
     * The body runs on a virtual thread of the JDK's scheduler and parks with {@code LockSupport}.
     * Works everywhere; blocking calls inside a go block are allowed (they unmount the virtual
     * thread), but the body does not run on the dispatcher's threads.
     */
    VIRTUAL;

    /** The system property that forces a mode: {@code loop} or {@code virtual}. */
    public static final String PROPERTY = "csp4j.processes";
}
