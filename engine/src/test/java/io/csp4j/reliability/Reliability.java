package io.csp4j.reliability;

import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.Csp;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shared pieces of the reliability suite: the buffer kinds every test runs over, the stress scale
 * ({@code -Dcsp4j.stress=short|long}) and heap measurement for the leak tests.
 *
 * <p>Short form (the default, what {@code ./run test} runs in CI): each stress test takes a few
 * seconds. Long form ({@code ./run test -Dcsp4j.stress=long -Dtest='io.csp4j.reliability.*'}):
 * the same tests with about 20 times more work.
 */
final class Reliability {

    private Reliability() {}

    /** Whether the long form was asked for with {@code -Dcsp4j.stress=long}. */
    static boolean longForm() {
        return "long".equalsIgnoreCase(System.getProperty("csp4j.stress", "short").strip());
    }

    /** {@code shortValue} in CI, {@code longValue} with {@code -Dcsp4j.stress=long}. */
    static int scaled(int shortValue, int longValue) {
        return longForm() ? longValue : shortValue;
    }

    /**
     * Every kind of channel the engine has. {@link #fifo()} says whether values come out in the order
     * they went in with nothing dropped; {@link #lossless()} whether every accepted value can be taken.
     */
    enum Kind {
        /** {@code chan()}: a rendezvous. */
        UNBUFFERED(true, true),
        /** {@code chan(4)}: a fixed buffer. */
        FIXED(true, true),
        /** {@code chan(Buffers.dropping(4))}: new values dropped when full. */
        DROPPING(false, false),
        /** {@code chan(Buffers.sliding(4))}: oldest values dropped when full. */
        SLIDING(false, false),
        /** {@code promiseChan()}: the first value, forever. */
        PROMISE(false, false),
        /** {@code chan(Buffers.unbounded())}: never full. */
        UNBOUNDED(true, true);

        private final boolean fifo;
        private final boolean lossless;

        Kind(boolean fifo, boolean lossless) {
            this.fifo = fifo;
            this.lossless = lossless;
        }

        /** A new channel of this kind; {@code n} is the size of fixed, dropping and sliding buffers. */
        <T> Chan<T> make(int n) {
            return switch (this) {
                case UNBUFFERED -> Csp.chan();
                case FIXED -> Csp.chan(n);
                case DROPPING -> Csp.chan(Buffers.<T>dropping(n));
                case SLIDING -> Csp.chan(Buffers.<T>sliding(n));
                case PROMISE -> Csp.promiseChan();
                case UNBOUNDED -> Csp.chan(Buffers.<T>unbounded());
            };
        }

        /** Values come out in put order, per producer, and none is dropped. */
        boolean fifo() {
            return fifo;
        }

        /** Every value accepted by a put is taken exactly once (no buffer drops or repeats values). */
        boolean lossless() {
            return lossless;
        }
    }

    // ------------------------------------------------------------------------------------- heap

    /** Used heap after three full collections (with a short pause so reference processing ends). */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Used heap after collections, read again every half second until it is below {@code limit} or
     * {@code within} has passed; returns the last reading. For cleanup that follows a collection
     * asynchronously: the entries of collected timeout channels leave the engine's timeout queue,
     * removed by its reaper after the collection that finds them.
     */
    static long usedHeapAfterGcBelow(long limit, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (;;) {
            long now = usedHeapAfterGc();
            if (now < limit || System.nanoTime() > deadline) {
                return now;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }

    /**
     * Collects until {@code ref} is cleared or {@code within} has passed.
     *
     * @return whether the referent was collected
     */
    static boolean collected(WeakReference<?> ref, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ref.get() == null;
    }

    /** Waits (on this ordinary thread) until {@code condition} holds or {@code within} passes. */
    static boolean eventually(Supplier<Boolean> condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1_048_576.0);
    }
}
