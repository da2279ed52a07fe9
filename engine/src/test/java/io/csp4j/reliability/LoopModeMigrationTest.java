package io.csp4j.reliability;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.goFuture;
import static io.csp4j.Csp.useProcessMode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A loop-mode process whose steps run on different ForkJoin workers (a pool lane) must keep
 * working once the JIT's C2 compiler has compiled its body.
 *
 * <p>Found by the long form of {@link ChannelStressTest} and {@link FaultInjectionTest}: one
 * producer and one consumer on a rendezvous channel, 100,000 values a round, fail within a few
 * rounds in loop mode, with "resume() of a process that is already resumed", a hang with idle
 * workers (a lost wake-up), an {@code alts} that returns with winner index -1, or a channel lock
 * "locked by" an idle worker. With {@code -XX:TieredStopAtLevel=1} (C1 only) 60 rounds pass; with
 * {@code -XX:-TieredCompilation} (C2 only) it hangs in the first round; virtual mode always passes.
 * The likely cause: compiled code of a continuation caches {@code Thread.currentThread()} across
 * {@code Continuation.yield}, which the JDK supports only for virtual threads (whose current thread
 * is the same object on every carrier); after the continuation resumes on another worker,
 * {@code LoopProcess.current()} (a ThreadLocal) and {@code ReentrantLock}'s owner use the old
 * worker's Thread.
 */
@Tag("stress")
class LoopModeMigrationTest {

    @Test
    void aLoopProcessResumedOnAnotherWorkerStaysItself() throws Exception {
        useProcessMode(ProcessMode.LOOP);
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        Csp.setUncaughtExceptionHandler(reported::add);
        try {
            int n = 100_000;
            for (int round = 0; round < 10; round++) {
                Chan<Integer> ch = chan();
                CompletableFuture<Void> producer = goFuture(() -> {
                    for (int i = 0; i < n; i++) {
                        ch.put(i);
                    }
                });
                CompletableFuture<Long> consumer = goFuture(() -> {
                    long sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += ch.take();
                    }
                    return sum;
                });
                producer.get(20, TimeUnit.SECONDS);
                assertEquals((long) n * (n - 1) / 2, consumer.get(20, TimeUnit.SECONDS), "round " + round);
            }
            assertEquals(0, reported.size(), () -> "errors: " + reported);
        } finally {
            Csp.setUncaughtExceptionHandler(null);
        }
    }
}
