package io.csp4j;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Cancellable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link ForkJoinDispatcher} that counts its timers: how many were scheduled, how many are
 * still armed (neither fired nor cancelled) and how many were cancelled in time. Bound as the
 * engine's dispatcher while open; {@link #close()} unbinds and closes it. Thread-safe.
 */
final class TimerCountingDispatcher extends BoundForkJoinDispatcher {

    final AtomicInteger scheduled = new AtomicInteger();
    final AtomicInteger armed = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    @Override
    public String name() {
        return "counting-forkjoin";
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        scheduled.incrementAndGet();
        armed.incrementAndGet();
        // Whichever comes first, the run or a successful cancel, disarms (once): the count must not
        // depend on a backend's cancel() and run racing each other.
        AtomicBoolean disarmed = new AtomicBoolean();
        Cancellable c = inner.schedule(delay, () -> {
            if (disarmed.compareAndSet(false, true)) {
                armed.decrementAndGet();
            }
            task.run();
        });
        return () -> {
            boolean prevented = c.cancel();
            if (prevented && disarmed.compareAndSet(false, true)) {
                armed.decrementAndGet();
                cancelled.incrementAndGet();
            }
            return prevented;
        };
    }
}
