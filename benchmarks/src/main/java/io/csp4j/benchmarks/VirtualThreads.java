package io.csp4j.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the JDK and jox peers' bodies on virtual threads: starts them all, then joins them all.
 * A body that throws makes {@link #runAll} throw once every thread has ended. Thread-safe.
 *
 * {@snippet :
 * VirtualThreads.runAll(() -> queue.put(1), () -> queue.take());
 * }
 */
public final class VirtualThreads {

    /** A body that may block and be interrupted. */
    @FunctionalInterface
    public interface Body {
        /** Runs the body. */
        void run() throws Exception;
    }

    private VirtualThreads() {
    }

    /**
     * Runs every body on a virtual thread of its own and waits for all of them.
     *
     * @throws IllegalStateException wrapping the first exception a body threw
     */
    public static void runAll(Body... bodies) {
        runAll(List.of(bodies));
    }

    /** {@link #runAll(Body...)} over a list. */
    public static void runAll(List<Body> bodies) {
        List<Thread> threads = new ArrayList<>(bodies.size());
        Throwable[] failure = new Throwable[1];
        for (Body body : bodies) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = t;
                        }
                    }
                }
            }));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining peer threads", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a peer thread failed: " + failure[0], failure[0]);
        }
    }
}
