package io.csp4j.netty;

import static io.csp4j.Csp.goFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.ProcessMode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code NettyChannels.await(future)} in go blocks on real event loops: it parks (in loop mode the
 * loop stays free, so a future completed by a task on the very same loop resumes the process there),
 * returns values in order, throws the cause, and refuses to freeze a loop outside a process.
 */
class AwaitFutureTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void awaitParksAndTheProcessResumesOnItsOwnLoop(ProcessMode mode) throws Exception {
        int n = Stress.scale(1_000);
        try (BoundLoops b = new BoundLoops(2, mode)) {
            EventLoop loop = b.loops.get(0);
            io.netty.util.concurrent.Future<CompletableFuture<String>> started = loop.submit(() -> goFuture(() -> {
                long sum = 0;
                int offLoop = 0;
                for (int i = 0; i < n; i++) {
                    Promise<Integer> p = loop.newPromise();
                    int v = i;
                    // Completed by a task on the same loop: in loop mode it can only run if await freed it.
                    loop.schedule(() -> p.setSuccess(v), i % 10 == 0 ? 1 : 0, TimeUnit.MILLISECONDS);
                    int got = NettyChannels.await(p);
                    if (got != i) throw new AssertionError("expected " + i + ", got " + got);
                    sum += got;
                    if (!loop.inEventLoop()) offLoop++;
                }
                return sum + " offLoop=" + offLoop;
            }));
            String r = started.get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
            long expected = (long) n * (n - 1) / 2;
            assertEquals(expected + " offLoop=" + (mode == ProcessMode.LOOP ? 0 : n), r);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void awaitThrowsTheCauseUncheckedAsIsCheckedWrappedAndCancellation(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            IllegalStateException unchecked = new IllegalStateException("bad state");
            IOException checked = new IOException("io");
            Promise<String> cancelled = loop.newPromise();
            cancelled.cancel(false);
            Future<String> f1 = loop.newFailedFuture(unchecked);
            Future<String> f2 = loop.newFailedFuture(checked);
            CompletableFuture<Throwable[]> r = goFuture(() -> new Throwable[] {
                catching(() -> NettyChannels.await(f1)),
                catching(() -> NettyChannels.await(f2)),
                catching(() -> NettyChannels.await(cancelled)),
            });
            Throwable[] t = r.get(10, TimeUnit.SECONDS);
            assertSame(unchecked, t[0]);
            assertInstanceOf(CompletionException.class, t[1]);
            assertSame(checked, t[1].getCause());
            assertInstanceOf(CancellationException.class, t[2]);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void onAnOrdinaryThreadAwaitBlocksAndOnALoopOutsideAProcessItRefuses(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            Promise<String> p = loop.newPromise();
            loop.schedule(() -> p.setSuccess("late"), 20, TimeUnit.MILLISECONDS);
            assertEquals("late", NettyChannels.await(p));
            Promise<String> never = loop.newPromise();
            Throwable t = loop.submit(() -> catching(() -> NettyChannels.await(never))).get(5, TimeUnit.SECONDS);
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, t);
            assertTrue(e.getMessage().contains("go(...)"), e.getMessage());
            assertThrows(NullPointerException.class, () -> NettyChannels.await(null));
        }
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
