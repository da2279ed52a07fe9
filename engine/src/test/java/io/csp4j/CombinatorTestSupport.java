package io.csp4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Helpers shared by the combinator tests: drain a channel on the test thread, capture reported errors. */
final class CombinatorTestSupport {

    private CombinatorTestSupport() {}

    /** Takes (blocking this ordinary thread) until {@code ch} is closed and drained. */
    static <T> List<T> drain(ReadPort<T> ch) {
        List<T> out = new ArrayList<>();
        for (T v = ch.take(); v != null; v = ch.take()) {
            out.add(v);
        }
        return out;
    }

    /** Takes exactly {@code n} values (blocking). */
    static <T> List<T> take(ReadPort<T> ch, int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ch.take());
        }
        return out;
    }

    /** 0, 1, ..., n-1. */
    static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    /** Installs a capturing uncaught-exception handler; {@link #restore()} puts the default back. */
    static List<Throwable> captureErrors() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Consumer<Throwable> h = errors::add;
        Csp.setUncaughtExceptionHandler(h);
        return errors;
    }

    static void restore() {
        Csp.setUncaughtExceptionHandler(null);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
