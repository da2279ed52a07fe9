package io.csp4j.netty;

import static io.csp4j.Csp.goFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Netty future to channel ({@code NettyChannels.toChan}) and to {@code CompletableFuture}
 * ({@code toStage}) on real event loops: values, {@code Future<Void>}, failure, cancellation, and
 * many futures completed concurrently from several loops, each delivered exactly once.
 */
class FutureToChanTest {

    private final List<Throwable> reported = new CopyOnWriteArrayList<>();

    @AfterEach
    void restoreHandler() {
        Csp.setUncaughtExceptionHandler(null);
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aValueReachesAGoBlockParkedOnTheChannelAndStaysForEveryTaker(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(2, mode)) {
            EventLoop loop = b.loops.get(0);
            Promise<String> p = loop.newPromise();
            Chan<String> c = NettyChannels.toChan(p);
            CompletableFuture<String> taker = goFuture(() -> c.take() + "/" + c.take());
            Thread.sleep(20);
            assertFalse(taker.isDone(), "the go block waits for the future");
            loop.execute(() -> p.setSuccess("v"));
            assertEquals("v/v", taker.get(10, TimeUnit.SECONDS));
            assertEquals("v", c.take());
            // The listener offers, then closes, on the loop: a later task there sees it closed.
            assertTrue(loop.submit(c::isClosed).get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void anAlreadyCompletedFutureAndAVoidFuture(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            assertEquals(42, goFuture(() -> NettyChannels.toChan(loop.newSucceededFuture(42)).take())
                    .get(10, TimeUnit.SECONDS));
            Promise<Void> done = loop.newPromise();
            Chan<Void> c = NettyChannels.toChan(done);
            done.setSuccess(null);
            assertNull(c.take(), "a Future<Void> closes the channel empty");
            assertTrue(c.isClosed());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aFailureClosesTheChannelEmptyAndReportsTheCauseOnceToTheEngine(ProcessMode mode) throws Exception {
        Csp.setUncaughtExceptionHandler(reported::add);
        try (BoundLoops b = new BoundLoops(2, mode)) {
            EventLoop loop = b.loops.get(1);
            Promise<String> p = loop.newPromise();
            Chan<String> c = NettyChannels.toChan(p);
            IOException cause = new IOException("connection refused");
            loop.execute(() -> p.setFailure(cause));
            assertNull(goFuture(c::take).get(10, TimeUnit.SECONDS));
            assertTrue(c.isClosed());
            awaitReports(1);
            assertEquals(1, reported.size());
            assertSame(cause, reported.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theHandlerVariantGetsTheCauseBeforeTheChannelClosesAndTheEngineNothing(ProcessMode mode) throws Exception {
        Csp.setUncaughtExceptionHandler(reported::add);
        try (BoundLoops b = new BoundLoops(2, mode)) {
            EventLoop loop = b.loops.get(0);
            Promise<String> p = loop.newPromise();
            List<String> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Chan<String>> holder = new AtomicReference<>();
            holder.set(NettyChannels.toChan(p, e -> seen.add(e.getMessage() + " closed=" + holder.get().isClosed()
                    + " onLoop=" + loop.inEventLoop())));
            loop.execute(() -> p.setFailure(new IllegalStateException("boom")));
            assertNull(goFuture(() -> holder.get().take()).get(10, TimeUnit.SECONDS));
            assertEquals(List.of("boom closed=false onLoop=true"), seen);
            Thread.sleep(50);
            assertEquals(List.of(), reported);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void cancellationClosesTheChannelEmptyAndOnlyTheHandlerVariantHearsOfIt(ProcessMode mode) throws Exception {
        Csp.setUncaughtExceptionHandler(reported::add);
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            Promise<String> plain = loop.newPromise();
            Promise<String> handled = loop.newPromise();
            List<Throwable> seen = new CopyOnWriteArrayList<>();
            Chan<String> c1 = NettyChannels.toChan(plain);
            Chan<String> c2 = NettyChannels.toChan(handled, seen::add);
            CompletableFuture<String> taker = goFuture(() -> c1.take() + "," + c2.take());
            assertTrue(plain.cancel(false));
            assertTrue(handled.cancel(false));
            assertEquals("null,null", taker.get(10, TimeUnit.SECONDS));
            assertEquals(1, seen.size());
            assertInstanceOf(CancellationException.class, seen.get(0));
            Thread.sleep(50);
            assertEquals(List.of(), reported, "a cancellation is not an error for the engine");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void manyFuturesCompletedFromSeveralLoopsEachDeliverExactlyTheirValue(ProcessMode mode) throws Exception {
        int n = Stress.scale(2_000);
        try (BoundLoops b = new BoundLoops(4, mode)) {
            List<Promise<Integer>> promises = new ArrayList<>();
            List<Chan<Integer>> chans = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Promise<Integer> p = b.loops.get(i % 4).newPromise();
                promises.add(p);
                chans.add(NettyChannels.toChan(p));
            }
            CompletableFuture<long[]> sum = goFuture(() -> {
                long[] r = new long[2];
                for (int i = 0; i < n; i++) {
                    int v = chans.get(i).take();
                    if (v != i) r[1]++;
                    r[0] += v;
                }
                return r;
            });
            for (int i = n - 1; i >= 0; i--) {
                int v = i;
                Promise<Integer> p = promises.get(i);
                b.loops.get(i % 4).execute(() -> p.setSuccess(v));
            }
            long[] r = sum.get(30, TimeUnit.SECONDS);
            assertEquals(0, r[1], "values on the wrong channel");
            assertEquals((long) n * (n - 1) / 2, r[0]);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void toStageKeepsValueFailureAndCancellationAndPropagatesCancelBack(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            assertEquals("x", NettyChannels.toStage(loop.newSucceededFuture("x")).get(5, TimeUnit.SECONDS));

            IOException cause = new IOException("io");
            Future<String> failed = loop.newFailedFuture(cause);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> NettyChannels.toStage(failed).get(5, TimeUnit.SECONDS));
            assertSame(cause, e.getCause());

            Promise<String> cancelled = loop.newPromise();
            CompletableFuture<String> s1 = NettyChannels.toStage(cancelled);
            cancelled.cancel(false);
            assertThrows(CancellationException.class, () -> s1.get(5, TimeUnit.SECONDS));

            Promise<String> back = loop.newPromise();
            assertTrue(NettyChannels.toStage(back).cancel(false));
            assertTrue(back.isCancelled(), "cancelling the stage cancels the Netty future");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void nullArgumentsAreRefused(ProcessMode mode) {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            assertThrows(NullPointerException.class, () -> NettyChannels.toChan(null));
            assertThrows(NullPointerException.class, () -> NettyChannels.toChan(b.loops.get(0).newPromise(), null));
            assertThrows(NullPointerException.class, () -> NettyChannels.toStage(null));
        }
    }

    private void awaitReports(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reported.size() < n && System.nanoTime() < end) Thread.sleep(5);
    }
}
