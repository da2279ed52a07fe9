package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** putAsync/takeAsync: callbacks always run through the dispatcher, never on the caller's stack. */
class AsyncOpsTest extends EngineTestSupport {

    @Test
    void callbacksOfImmediateOperationsStillRunOnTheDispatcher() throws Exception {
        Chan<Integer> c = chan(1);
        ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
        AtomicInteger inline = new AtomicInteger();
        AtomicReference<Thread> where = new AtomicReference<>();
        CountDownLatch l = new CountDownLatch(2);
        inside.set(true);
        c.putAsync(1, ok -> { if (inside.get()) inline.incrementAndGet(); where.set(Thread.currentThread()); l.countDown(); });
        c.takeAsync(v -> { if (inside.get()) inline.incrementAndGet(); l.countDown(); });
        inside.set(false);
        assertTrue(l.await(5, TimeUnit.SECONDS));
        assertEquals(0, inline.get());
        assertTrue(where.get().getName().matches("csp4j-forkjoin-\\d+"), "runs on a lane, not " + where.get().getName());
    }

    @Test
    void stagesCompleteWithWhatTheBlockingFormsReturn() throws Exception {
        Chan<String> c = chan();
        CompletableFuture<String> took = c.takeAsync().toCompletableFuture();
        assertFalse(took.isDone());
        CompletableFuture<Boolean> put = c.putAsync("hi").toCompletableFuture();
        assertEquals("hi", took.get(5, TimeUnit.SECONDS));
        assertTrue(put.get(5, TimeUnit.SECONDS));
        c.close();
        assertFalse(c.putAsync("late").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertNull(c.takeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void asyncDependentsDefaultToTheDispatcher() throws Exception {
        Chan<Integer> c = chan(1);
        c.put(1);
        Thread t = c.takeAsync().thenApplyAsync(v -> Thread.currentThread()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(t.getName().startsWith("csp4j-forkjoin-"), t.getName());
    }

    @Test
    void aThrowingCallbackIsReportedAndHarmsNothing() throws Exception {
        mode(ProcessMode.LOOP);
        Chan<Integer> c = chan(4);
        c.takeAsync(v -> { throw new IllegalStateException("cb"); });
        c.put(1);
        eventually(5, () -> !reported.isEmpty());
        assertEquals("cb", reported.get(0).getMessage());
        c.put(2);
        assertEquals(2, c.take());
    }

    @Test
    void reportHandsAnErrorToTheUncaughtExceptionHandler() {
        mode(ProcessMode.VIRTUAL);
        IllegalStateException e = new IllegalStateException("from interop");
        report(e);
        assertEquals(java.util.List.of(e), reported);
        assertThrows(NullPointerException.class, () -> report(null));
    }

    @Test
    void interruptingABlockedTakeWithdrawsItAndLosesNothing() throws Exception {
        Chan<Integer> c = chan();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                c.take();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        eventually(5, () -> ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingTakes() == 1);
        t.interrupt();
        t.join(5_000);
        assertInstanceOf(CspInterruptedException.class, thrown.get());
        assertEquals(0, ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingTakes());
        assertFalse(c.offer(5), "no taker is left behind to swallow a value");
    }

    @Test
    void interruptingABlockedPutWithdrawsTheValue() throws Exception {
        Chan<Integer> c = chan();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                c.put(5);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        eventually(5, () -> ((io.csp4j.internal.ManyToManyChannel<?>) c).pendingPuts() == 1);
        t.interrupt();
        t.join(5_000);
        assertInstanceOf(CspInterruptedException.class, thrown.get());
        assertNull(c.poll(), "the interrupted put did not happen");
    }
}
