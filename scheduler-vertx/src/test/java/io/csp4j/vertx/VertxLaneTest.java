package io.csp4j.vertx;

import static io.csp4j.vertx.VertxDispatcherTest.SCALE;
import static io.csp4j.vertx.VertxDispatcherTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clauses 1, 5 and 7 of the Dispatcher contract on Vert.x: lanes are contexts; dispatcher threads. */
class VertxLaneTest {

    private Vertx app;
    private VertxDispatcher d;

    @BeforeEach
    void start() {
        app = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
        d = VertxDispatcher.create();
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
        app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** What a task saw when it ran: the current context and the thread. */
    record Seen(Context context, Thread thread) {
        static Seen now() {
            return new Seen(Vertx.currentContext(), Thread.currentThread());
        }
    }

    @Test
    void clause5_laneFromInsideAVerticleIsThatVerticlesContext() throws Exception {
        // The default dispatcher has a Vertx of its own; the verticle belongs to the application's.
        for (VertxDispatcher dispatcher : List.of(d, VertxDispatcher.over(app))) {
            AtomicReference<Seen> caller = new AtomicReference<>();
            List<Seen> seen = new CopyOnWriteArrayList<>();
            CountDownLatch l = new CountDownLatch(100);
            String id = app.deployVerticle(new AbstractVerticle() {
                @Override
                public void start() {
                    caller.set(Seen.now());
                    Executor lane = dispatcher.lane();
                    for (int i = 0; i < 100; i++) lane.execute(() -> { seen.add(Seen.now()); l.countDown(); });
                }
            }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            await(l);
            assertSame(app, caller.get().context().owner());
            for (Seen s : seen) {
                assertSame(caller.get().context(), s.context(), "Vertx.currentContext() inside the task");
                assertSame(caller.get().thread(), s.thread(), "the verticle's event loop");
            }
            app.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void clause1_laneNeverRunsInlineEvenOnItsOwnThread() throws Exception {
        ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
        AtomicBoolean inline = new AtomicBoolean();
        int n = 10_000 * SCALE;
        CountDownLatch l = new CountDownLatch(n);
        Executor lane = d.lane();
        lane.execute(() -> {
            Executor same = d.lane(); // from the lane's own context: that same context
            for (int i = 0; i < n; i++) {
                inside.set(true);
                same.execute(() -> { if (inside.get()) inline.set(true); l.countDown(); });
                inside.set(false);
            }
        });
        await(l);
        assertFalse(inline.get());
    }

    @Test
    void clause5_laneTasksKeepSubmissionOrderAndAllRunOnOneThread() throws Exception {
        int lanes = 8;
        int n = 50_000 * SCALE;
        List<Thread> producers = new ArrayList<>();
        List<List<Integer>> orders = new ArrayList<>();
        List<Set<Thread>> threads = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(lanes * n);
        for (int k = 0; k < lanes; k++) {
            List<Integer> order = new ArrayList<>(n); // only touched on the lane's thread
            Set<Thread> used = ConcurrentHashMap.newKeySet();
            orders.add(order);
            threads.add(used);
            producers.add(Thread.ofPlatform().unstarted(() -> {
                Executor lane = d.lane();
                for (int i = 0; i < n; i++) {
                    int v = i;
                    lane.execute(() -> { order.add(v); used.add(Thread.currentThread()); all.countDown(); });
                }
            }));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) t.join();
        await(all);
        CountDownLatch visible = new CountDownLatch(1);
        d.execute(visible::countDown);
        await(visible);
        Set<Thread> loopsUsed = ConcurrentHashMap.newKeySet();
        for (int k = 0; k < lanes; k++) {
            assertEquals(1, threads.get(k).size(), "lane " + k + " ran on " + threads.get(k));
            loopsUsed.addAll(threads.get(k));
            List<Integer> order = orders.get(k);
            assertEquals(n, order.size());
            for (int i = 0; i < n; i++) assertEquals(i, order.get(i), "lane " + k + " position " + i);
        }
        assertTrue(loopsUsed.size() > 1, "new lanes are spread over the event loops: " + loopsUsed);
    }

    @Test
    void clause5_laneFromAPlainThreadIsItsHomeEventLoopContext() throws Exception {
        ContextLane a = (ContextLane) d.lane();
        ContextLane b = (ContextLane) d.lane();
        assertSame(a.context(), b.context(), "the processes one thread starts share an event loop (ADR 0009)");
        Set<Context> homes = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 32; i++) {
            Thread t = new Thread(() -> homes.add(((ContextLane) d.lane()).context()));
            t.start();
            t.join();
        }
        assertTrue(homes.size() > 1, "threads spread over the event loops: " + homes);
        for (ContextLane lane : List.of(a, b)) {
            assertSame(d.vertx(), lane.context().owner());
            assertTrue(lane.context().isEventLoopContext());
            AtomicReference<Seen> seen = new AtomicReference<>();
            CountDownLatch l = new CountDownLatch(1);
            lane.execute(() -> { seen.set(Seen.now()); l.countDown(); });
            await(l);
            assertSame(lane.context(), seen.get().context());
            assertTrue(seen.get().thread().getName().startsWith("vert.x-eventloop-thread-"), seen.get().thread().getName());
        }
    }

    @Test
    void clause5_executeAndLaneOnAWorkerContextStayOnThatContext() throws Exception {
        AtomicReference<Context> worker = new AtomicReference<>();
        List<Context> seen = new CopyOnWriteArrayList<>();
        CountDownLatch l = new CountDownLatch(2);
        app.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                worker.set(Vertx.currentContext());
                d.execute(() -> { seen.add(Vertx.currentContext()); l.countDown(); });
                d.lane().execute(() -> { seen.add(Vertx.currentContext()); l.countDown(); });
            }
        }, new io.vertx.core.DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        await(l);
        assertTrue(worker.get().isWorkerContext());
        assertEquals(List.of(worker.get(), worker.get()), seen);
    }

    @Test
    void clause7_isDispatcherThreadOnEventLoopsOnly() throws Exception {
        assertFalse(d.isDispatcherThread(), "a plain thread");
        List<Boolean> onLoops = new CopyOnWriteArrayList<>();
        CountDownLatch l = new CountDownLatch(4);
        d.execute(() -> { onLoops.add(d.isDispatcherThread()); l.countDown(); });
        d.lane().execute(() -> { onLoops.add(d.isDispatcherThread()); l.countDown(); });
        d.schedule(java.time.Duration.ofMillis(1), () -> { onLoops.add(d.isDispatcherThread()); l.countDown(); });
        // An event loop of the application's Vertx runs our lanes too: blocking there stalls them.
        app.runOnContext(v -> { onLoops.add(d.isDispatcherThread()); l.countDown(); });
        await(l);
        assertEquals(List.of(true, true, true, true), onLoops);

        Boolean onWorker = app.executeBlocking(() -> d.isDispatcherThread())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertFalse(onWorker, "a Vert.x worker thread may block");
        AtomicBoolean onVirtual = new AtomicBoolean(true);
        Thread.ofVirtual().start(() -> onVirtual.set(d.isDispatcherThread())).join();
        assertFalse(onVirtual.get());
    }
}
