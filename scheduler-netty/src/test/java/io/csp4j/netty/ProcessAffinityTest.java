package io.csp4j.netty;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.goFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.ProcessMode;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thread affinity of processes on real NIO event loops, over 10,000 park/resume cycles per process:
 * in loop mode every step of a process runs on one event-loop thread, the one it was started from
 * when started inside a loop; in virtual mode the steps run on virtual threads, never on a loop.
 * Ping-pong pairs cross loops, so every resume is submitted from another thread.
 */
class ProcessAffinityTest {

    private static final int CYCLES = Stress.scale(10_000);

    /** What one process saw over its steps. */
    record Steps(Thread first, int offFirstThread, int offStartLoop, int onSomeLoop, int outOfOrder, int count) {}

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyStepOfAProcessStartedInsideALoopRunsOnThatLoop(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(4, mode)) {
            int n = b.loops.size();
            List<CompletableFuture<Steps>> pingers = new ArrayList<>();
            List<CompletableFuture<Steps>> pongers = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Chan<Integer> ping = chan();
                Chan<Integer> pong = chan();
                EventLoop pingLoop = b.loops.get(k);
                EventLoop pongLoop = b.loops.get((k + 1) % n);
                pingers.add(startInside(pingLoop, () -> record(b, pingLoop, i -> {
                    ping.put(i);
                    return pong.take();
                })));
                pongers.add(startInside(pongLoop, () -> record(b, pongLoop, i -> {
                    int v = ping.take();
                    pong.put(v);
                    return v;
                })));
            }
            for (int k = 0; k < n; k++) {
                Steps s = pingers.get(k).get(60, TimeUnit.SECONDS);
                Steps t = pongers.get(k).get(60, TimeUnit.SECONDS);
                for (Steps x : List.of(s, t)) {
                    assertEquals(CYCLES, x.count());
                    assertEquals(0, x.outOfOrder(), "values out of order");
                    assertEquals(0, x.offFirstThread(), "steps that changed thread");
                    if (mode == ProcessMode.LOOP) {
                        assertEquals(0, x.offStartLoop(), "steps off the loop the process was started from");
                        assertEquals(CYCLES, x.onSomeLoop());
                    } else {
                        assertTrue(x.first().isVirtual(), x.first().toString());
                        assertEquals(0, x.onSomeLoop(), "virtual-mode steps on an event loop");
                    }
                }
                if (mode == ProcessMode.LOOP) {
                    assertNotSame(s.first(), t.first(), "the two sides run on their own loops");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aProcessStartedOutsideTheLoopsKeepsOneLoopThreadThroughout(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(4, mode)) {
            Chan<Integer> c = chan();
            AtomicReference<EventLoop> home = new AtomicReference<>();
            CompletableFuture<Steps> consumer = goFuture(() -> {
                home.set(b.currentLoop());
                return record(b, home.get(), i -> c.take());
            });
            // The producer is a plain thread: every resume of the consumer comes from off the loops.
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < CYCLES; i++) c.put(i);
            });
            Steps s = consumer.get(60, TimeUnit.SECONDS);
            producer.join(10_000);
            assertEquals(CYCLES, s.count());
            assertEquals(0, s.outOfOrder());
            assertEquals(0, s.offFirstThread());
            if (mode == ProcessMode.LOOP) {
                assertNotNull(home.get(), "a loop-mode go block starts on a loop of the bound group");
                assertEquals(0, s.offStartLoop());
            } else {
                assertFalse(b.dispatcher.isDispatcherThread());
                assertEquals(0, s.onSomeLoop());
            }
        }
    }

    /** One step: given the step number, parks at least once and returns the value it exchanged. */
    interface Step {
        int run(int i);
    }

    /** Runs {@code CYCLES} steps in the calling process, recording where each one resumed. */
    private static Steps record(BoundLoops b, EventLoop startLoop, Step step) {
        Thread first = Thread.currentThread();
        int offFirst = 0, offLoop = 0, onLoop = 0, outOfOrder = 0;
        for (int i = 0; i < CYCLES; i++) {
            int v = step.run(i);
            Thread now = Thread.currentThread();
            if (now != first) offFirst++;
            if (startLoop == null || !startLoop.inEventLoop()) offLoop++;
            if (b.currentLoop() != null) onLoop++;
            if (v != i) outOfOrder++;
        }
        return new Steps(first, offFirst, offLoop, onLoop, outOfOrder, CYCLES);
    }

    /** Calls {@code goFuture(body)} from a task on {@code loop}, so the process's lane is that loop. */
    private static <T> CompletableFuture<T> startInside(EventLoop loop, io.csp4j.Csp.Body<T> body) throws Exception {
        return loop.submit(() -> goFuture(body)).get(10, TimeUnit.SECONDS);
    }
}
