package io.csp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Cancellable;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Clause 8 (close) and the threads of the dispatcher's own group: close ends only what the backend
 * created, an application's group keeps running with the timers set through the dispatcher cancelled.
 */
class NettyDispatcherCloseTest {

    @Test
    void ownGroupHasOneDaemonThreadPerProcessorNamedCsp4jNetty() throws Exception {
        try (NettyDispatcher d = new NettyDispatcher()) {
            assertTrue(d.ownsGroup());
            int n = 0;
            for (var ignored : d.group()) n++;
            assertEquals(Runtime.getRuntime().availableProcessors(), n);
            Set<Thread> threads = threadsOf(d, n);
            assertEquals(n, threads.size());
            for (Thread t : threads) {
                assertTrue(t.isDaemon(), t.getName());
                assertTrue(t.getName().matches("csp4j-netty-\\d+"), t.getName());
            }
        }
    }

    @Test
    void closeOfTheOwnGroupCancelsTimersEndsItsThreadsAndRejectsWork() throws Exception {
        NettyDispatcher d = new NettyDispatcher(2);
        Set<Thread> threads = threadsOf(d, 2);
        AtomicInteger fired = new AtomicInteger();
        List<Cancellable> timers = new ArrayList<>();
        for (int i = 0; i < 100; i++) timers.add(d.schedule(Duration.ofMillis(100), fired::incrementAndGet));
        NettyLane lane = d.lane();
        d.close();
        d.close(); // idempotent
        assertTrue(d.isClosed());
        assertTrue(d.group().isTerminated(), "close waits for its own group");
        for (Thread t : threads) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after close");
        }
        Thread.sleep(200);
        assertEquals(0, fired.get());
        for (Cancellable c : timers) assertFalse(c.cancel(), "already cancelled by close");
        assertThrows(RejectedExecutionException.class, () -> d.execute(() -> {}));
        assertThrows(RejectedExecutionException.class, () -> d.schedule(Duration.ZERO, () -> {}));
        assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> {}));
    }

    @Test
    void tasksAcceptedBeforeCloseStillRunExactlyOnce() throws Exception {
        for (int round = 0; round < Stress.scale(10); round++) {
            NettyDispatcher d = new NettyDispatcher(2);
            AtomicInteger ran = new AtomicInteger();
            int n = 10_000;
            for (int i = 0; i < n; i++) d.execute(ran::incrementAndGet);
            d.close();
            assertEquals(n, ran.get(), "round " + round);
        }
    }

    @Test
    void closeFromInsideItsOwnLoopDoesNotWaitForItself() throws Exception {
        NettyDispatcher d = new NettyDispatcher(2);
        CountDownLatch closed = new CountDownLatch(1);
        d.execute(() -> { d.close(); closed.countDown(); });
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertTrue(d.group().terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS));
        d.close(); // from outside, after: still fine
    }

    @Test
    void closeOverAnApplicationGroupLeavesItRunningAndCancelsOnlyItsOwnTimers() throws Exception {
        EventExecutorGroup app = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            NettyDispatcher d = NettyDispatcher.over(app);
            assertFalse(d.ownsGroup());
            AtomicInteger ours = new AtomicInteger();
            AtomicInteger theirs = new AtomicInteger();
            List<Cancellable> timers = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) timers.add(d.schedule(Duration.ofMillis(100), ours::incrementAndGet));
            var appTimer = app.schedule(theirs::incrementAndGet, 100, TimeUnit.MILLISECONDS);
            assertEquals(1_000, d.pendingTimerCount());
            NettyLane lane = d.lane();
            d.close();
            d.close();
            assertEquals(0, d.pendingTimerCount());
            for (Cancellable c : timers) assertFalse(c.cancel(), "already cancelled by close");
            assertFalse(app.isShuttingDown(), "the application's group was shut down");
            assertThrows(RejectedExecutionException.class, () -> d.execute(() -> {}));
            assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> {}));
            assertTrue(appTimer.await(5, TimeUnit.SECONDS));
            Thread.sleep(100);
            assertEquals(1, theirs.get(), "the application's own timer still fires");
            assertEquals(0, ours.get(), "timers set through the dispatcher never fire after close");
            CountDownLatch stillRuns = new CountDownLatch(1);
            lane.executor().execute(stillRuns::countDown);
            assertTrue(stillRuns.await(5, TimeUnit.SECONDS));
        } finally {
            app.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void scheduleRacingCloseLeavesNoTimerBehind() throws Exception {
        EventExecutorGroup app = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            for (int round = 0; round < Stress.scale(20); round++) {
                NettyDispatcher d = NettyDispatcher.over(app);
                AtomicInteger fired = new AtomicInteger();
                AtomicBoolean rejected = new AtomicBoolean();
                CountDownLatch started = new CountDownLatch(1);
                Thread scheduler = Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        while (true) d.schedule(Duration.ofMillis(300), fired::incrementAndGet);
                    } catch (RejectedExecutionException expected) {
                        rejected.set(true);
                    }
                });
                started.await();
                Thread.sleep(2);
                d.close();
                scheduler.join(5_000);
                assertTrue(rejected.get(), "schedule after close is rejected");
                assertEquals(0, d.pendingTimerCount(), "round " + round);
                assertEquals(0, fired.get());
            }
            Thread.sleep(400);
        } finally {
            app.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void overRejectsGroupsThatCannotServe() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> NettyDispatcher.over(null));
        assertTrue(npe.getMessage().startsWith("group"), npe.getMessage());
        IllegalArgumentException immediate = assertThrows(IllegalArgumentException.class,
                () -> NettyDispatcher.over(io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE));
        assertTrue(immediate.getMessage().contains("caller's stack"), immediate.getMessage());
        EventExecutorGroup dead = new io.netty.util.concurrent.DefaultEventExecutorGroup(1);
        dead.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        IllegalArgumentException shut = assertThrows(IllegalArgumentException.class, () -> NettyDispatcher.over(dead));
        assertTrue(shut.getMessage().contains("shutting down"), shut.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() {
        try (NettyDispatcher d = new NettyDispatcher(1)) {
            assertEquals("task", assertThrows(NullPointerException.class, () -> d.execute(null)).getMessage());
            assertEquals("task", assertThrows(NullPointerException.class, () -> d.lane().execute(null)).getMessage());
            assertEquals("delay", assertThrows(NullPointerException.class,
                    () -> d.schedule(null, () -> {})).getMessage());
            assertEquals("task", assertThrows(NullPointerException.class,
                    () -> d.schedule(Duration.ZERO, null)).getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NettyDispatcher(0));
        assertEquals("nThreads must be at least 1, was 0", e.getMessage());
    }

    /** Makes every executor of {@code d}'s group start its thread, and returns those threads. */
    private static Set<Thread> threadsOf(NettyDispatcher d, int executors) throws InterruptedException {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch l = new CountDownLatch(executors);
        for (var e : d.group()) e.execute(() -> { threads.add(Thread.currentThread()); l.countDown(); });
        assertTrue(l.await(5, TimeUnit.SECONDS));
        return threads;
    }
}
