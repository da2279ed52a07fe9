package io.csp4j.vertx;

import static io.csp4j.vertx.VertxDispatcherTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Clause 8 of the Dispatcher contract on Vert.x: close cancels timers and closes only what it owns. */
class VertxDispatcherCloseTest {

    @Test
    void clause8_closeCancelsTimersAndClosesTheOwnVertx() throws Exception {
        VertxDispatcher own = VertxDispatcher.create();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch l = new CountDownLatch(2);
        own.execute(() -> { threads.add(Thread.currentThread()); l.countDown(); });
        own.schedule(Duration.ZERO, () -> { threads.add(Thread.currentThread()); l.countDown(); });
        await(l);
        AtomicInteger fired = new AtomicInteger();
        List<Cancellable> pending = new ArrayList<>();
        for (int i = 0; i < 100; i++) pending.add(own.schedule(Duration.ofMillis(100), fired::incrementAndGet));
        Executor lane = own.lane();
        for (int i = 0; i < 50; i++) own.schedule(Duration.ofHours(1), fired::incrementAndGet);
        assertFalse(own.isClosed(), "open until close()");
        int pendingBefore = own.pendingTimers(); // the 100 ms ones may have fired on a stalled machine
        assertTrue(pendingBefore >= 50 && pendingBefore <= 150, "pending before close(): " + pendingBefore);

        own.close();
        own.close(); // idempotent

        assertTrue(own.isClosed());
        assertEquals(0, own.pendingTimers());
        for (Cancellable c : pending) assertFalse(c.cancel(), "already cancelled by close()");
        assertTrue(((VertxInternal) own.vertx()).nettyEventLoopGroup().isTerminated(), "own Vertx closed");
        for (Thread t : threads) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still alive after close");
        }
        Thread.sleep(200);
        assertEquals(0, fired.get());
        assertRejected(own, lane);
    }

    @Test
    void clause8_closeLeavesAnApplicationVertxRunning() throws Exception {
        Vertx app = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
        try {
            VertxDispatcher over = VertxDispatcher.over(app);
            assertFalse(over.ownsVertx());
            AtomicInteger fired = new AtomicInteger();
            for (int i = 0; i < 100; i++) over.schedule(Duration.ofMillis(100), fired::incrementAndGet);
            for (int i = 0; i < 50; i++) over.schedule(Duration.ofHours(1), fired::incrementAndGet);
            int pendingBefore = over.pendingTimers(); // the 100 ms ones may have fired on a stalled machine
            assertTrue(pendingBefore >= 50 && pendingBefore <= 150, "pending before close(): " + pendingBefore);
            CountDownLatch ran = new CountDownLatch(1);
            over.execute(ran::countDown);
            await(ran);
            Executor lane = over.lane();
            assertFalse(over.isClosed(), "open until close()");

            over.close();
            over.close();

            assertEquals(0, over.pendingTimers());
            assertRejected(over, lane);
            // The application's Vertx still runs tasks and timers.
            CountDownLatch still = new CountDownLatch(2);
            app.runOnContext(v -> still.countDown());
            app.setTimer(150, id -> still.countDown());
            await(still);
            assertEquals(0, fired.get(), "the dispatcher's timers were cancelled");
            assertFalse(((VertxInternal) app).nettyEventLoopGroup().isShuttingDown());
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void clause8_closeFromItsOwnEventLoopDoesNotDeadlock() throws Exception {
        VertxDispatcher own = VertxDispatcher.create();
        CountDownLatch returned = new CountDownLatch(1);
        own.execute(() -> { own.close(); returned.countDown(); });
        await(returned);
        assertTrue(own.isClosed());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        VertxInternal vx = (VertxInternal) own.vertx();
        while (!vx.nettyEventLoopGroup().isTerminated() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(vx.nettyEventLoopGroup().isTerminated());
    }

    @Test
    void clause8_timersScheduledConcurrentlyWithCloseNeverRunAfterIt() throws Exception {
        for (int round = 0; round < 20 * VertxDispatcherTest.SCALE; round++) {
            Vertx app = Vertx.vertx(new VertxOptions().setUseDaemonThread(true).setEventLoopPoolSize(2));
            VertxDispatcher over = VertxDispatcher.over(app);
            // Counts only tasks that start after close() returned: a timer whose deadline passes while
            // close() is still cancelling (10,000 of them, on a loaded machine) may fire during it.
            AtomicInteger fired = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean closeReturned = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            Thread scheduler = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 10_000; i++) {
                        over.schedule(Duration.ofMillis(30), () -> {
                            if (closeReturned.get()) fired.incrementAndGet();
                        });
                    }
                } catch (RejectedExecutionException closed) {
                    // expected once close() has run
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            go.countDown();
            over.close();
            closeReturned.set(true);
            scheduler.join();
            Thread.sleep(60);
            assertEquals(0, fired.get(), "round " + round);
            assertEquals(0, over.pendingTimers());
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertRejected(VertxDispatcher closed, Executor lane) {
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> closed.execute(() -> {}));
        assertTrue(e.getMessage().startsWith("VertxDispatcher is closed"), e.getMessage());
        assertThrows(RejectedExecutionException.class, () -> closed.schedule(Duration.ZERO, () -> {}));
        assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> {}));
        assertThrows(RejectedExecutionException.class, () -> closed.lane().execute(() -> {}));
    }
}
