package io.csp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NettyLane}'s own queue and batches (docs/adr/0031): a lane's tasks that its own tasks submit
 * do not go through Netty's task queue; a busy lane yields its event loop to Netty's own work after
 * a batch; submission order holds across the lane's two queues, also with other threads submitting
 * at the same time; what a task in a batch throws is reported and the batch goes on; tasks queued in
 * the lane when the dispatcher closes still run. On the dispatcher's own group
 * ({@code DefaultEventExecutor}s) and over an application's NIO event loop group.
 */
class NettyLaneTest {

    private EventExecutorGroup app;
    private NettyDispatcher d;

    private NettyDispatcher open(String kind, Thread.UncaughtExceptionHandler onError) {
        if (kind.equals("nio")) {
            app = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            d = NettyDispatcher.over(app, onError);
        } else {
            d = new NettyDispatcher(2, onError);
        }
        return d;
    }

    @AfterEach
    void close() {
        if (d != null) {
            d.close();
        }
        if (app != null) {
            app.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"own", "nio"})
    void tasksALaneTaskSubmitsStayOutOfNettysQueue(String kind) throws Exception {
        NettyLane lane = open(kind, null).lane();
        var executor = (SingleThreadEventExecutor) lane.executor();
        int n = 1_000;
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger nettyPendingSeen = new AtomicInteger(-1);
        AtomicInteger laneQueuedSeen = new AtomicInteger(-1);
        CountDownLatch done = new CountDownLatch(n);
        lane.execute(() -> {
            for (int i = 0; i < n; i++) {
                int v = i;
                lane.execute(() -> {
                    if (v == 0) {
                        nettyPendingSeen.set(executor.pendingTasks());
                        laneQueuedSeen.set(lane.queued());
                    }
                    order.add(v);
                    done.countDown();
                });
            }
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(0, nettyPendingSeen.get(), "the lane's own hand-offs went through Netty's task queue");
        assertEquals(n - 1, laneQueuedSeen.get(), "the rest of the tasks wait in the lane");
        assertEquals(range(n), order);
    }

    @ParameterizedTest
    @ValueSource(strings = {"own", "nio"})
    void aBusyLaneYieldsItsEventLoopAfterABatch(String kind) throws Exception {
        NettyLane lane = open(kind, null).lane();
        int chain = 100 * NettyLane.BATCH;
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger seenByNetty = new AtomicInteger(-1);
        CountDownLatch chainStarted = new CountDownLatch(1);
        CountDownLatch nettyTaskQueued = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        Runnable step = new Runnable() {
            @Override
            public void run() {
                int s = steps.incrementAndGet();
                if (s == 1) {
                    // Hold the first batch until the test's thread has queued its task on Netty.
                    chainStarted.countDown();
                    await(nettyTaskQueued);
                }
                if (s < chain) {
                    lane.execute(this);
                } else {
                    done.countDown();
                }
            }
        };
        lane.execute(step);
        assertTrue(chainStarted.await(10, TimeUnit.SECONDS));
        lane.executor().execute(() -> {
            seenByNetty.set(steps.get());
            done.countDown();
        });
        nettyTaskQueued.countDown();
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertEquals(chain, steps.get());
        assertEquals(NettyLane.BATCH, seenByNetty.get(), "Netty's own task, queued during the chain's first batch,"
                + " ran after that many steps of a chain of " + chain + ": not after exactly one batch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"own", "nio"})
    void submissionOrderHoldsAcrossBothQueuesWithOtherThreadsSubmitting(String kind) throws Exception {
        NettyLane lane = open(kind, null).lane();
        for (int round = 0; round < Stress.scale(20); round++) {
            int perSubmitter = 5_000;
            int outside = 3;
            // Submitter 0 is the lane itself (a chain of tasks, each submitting the next from the
            // lane); 1..3 are other threads. Each records its sequence numbers as they run.
            List<List<Integer>> seen = new ArrayList<>();
            for (int s = 0; s <= outside; s++) {
                seen.add(new ArrayList<>()); // touched only by lane tasks: one thread, in order
            }
            CountDownLatch done = new CountDownLatch((outside + 1) * perSubmitter);
            int r = round;
            Runnable chain = new Runnable() {
                int next;

                @Override
                public void run() {
                    seen.get(0).add(next++);
                    done.countDown();
                    if (next < perSubmitter) {
                        if (next % (1 + r % 7) == 0) {
                            Thread.onSpinWait(); // vary the timing against the other submitters
                        }
                        lane.execute(this);
                    }
                }
            };
            List<Thread> threads = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int s = 1; s <= outside; s++) {
                int submitter = s;
                threads.add(Thread.ofPlatform().start(() -> {
                    await(go);
                    for (int i = 0; i < perSubmitter; i++) {
                        int v = i;
                        lane.execute(() -> {
                            seen.get(submitter).add(v);
                            done.countDown();
                        });
                    }
                }));
            }
            lane.execute(chain);
            go.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "round " + round + ": tasks lost");
            CountDownLatch read = new CountDownLatch(1);
            lane.execute(read::countDown); // the lists' last writes happen before this task
            assertTrue(read.await(10, TimeUnit.SECONDS));
            for (int s = 0; s <= outside; s++) {
                assertEquals(range(perSubmitter), seen.get(s), "round " + round + ", submitter " + s);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"own", "nio"})
    void aTaskThatOtherThreadsSubmittedFirstRunsBeforeTheLanesOwnLaterTask(String kind) throws Exception {
        // The happens-before half of submission order with the lane's own queue in play: a lane task
        // waits until another thread has submitted, then submits; the other thread's task runs first.
        NettyLane lane = open(kind, null).lane();
        for (int round = 0; round < Stress.scale(200); round++) {
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch submitted = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            lane.execute(() -> lane.execute(() -> {
                // Now inside a batch, on the lane's thread: the next submission may use its own queue.
                await(submitted);
                lane.execute(() -> {
                    order.add("lane");
                    done.countDown();
                });
            }));
            Thread.ofPlatform().start(() -> {
                lane.execute(() -> {
                    order.add("other");
                    done.countDown();
                });
                submitted.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("other", "lane"), order, "round " + round);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"own", "nio"})
    void aThrowingTaskInABatchIsReportedOnceAndTheBatchGoesOn(String kind) throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> reportedOn = new AtomicReference<>();
        NettyLane lane = open(kind, (t, e) -> {
            reportedOn.set(t);
            reported.add(e);
        }).lane();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> laneThread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("boom");
        lane.execute(() -> {
            laneThread.set(Thread.currentThread());
            lane.execute(() -> ran.add(1));
            lane.execute(() -> {
                throw boom;
            });
            lane.execute(() -> ran.add(2));
            lane.execute(done::countDown);
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2), ran);
        assertEquals(List.of(boom), reported);
        assertSame(laneThread.get(), reportedOn.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"own"})
    void tasksQueuedInTheLaneWhenItsGroupShutsDownStillRunExactlyOnce(String kind) throws Exception {
        for (int round = 0; round < Stress.scale(10); round++) {
            NettyDispatcher own = open(kind, null);
            NettyLane lane = own.lane();
            int n = 10 * NettyLane.BATCH;
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch queued = new CountDownLatch(1);
            lane.execute(() -> {
                for (int i = 0; i < n; i++) {
                    lane.execute(ran::incrementAndGet);
                }
                queued.countDown();
            });
            assertTrue(queued.await(10, TimeUnit.SECONDS));
            own.close(); // waits for the group, which runs what it accepted
            assertEquals(n, ran.get(), "round " + round);
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
