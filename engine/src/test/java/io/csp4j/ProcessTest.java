package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** go, goFuture, thread, sleep, await, in both process modes. */
class ProcessTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void goReturnsAChannelWithTheResultThenClosed(ProcessMode mode) {
        mode(mode);
        Chan<Integer> r = go(() -> 6 * 7);
        assertEquals(42, within(5, r::take));
        assertNull(r.take(), "closed after the result");
        Chan<Void> v = go(() -> {});
        assertNull(within(5, v::take));
        assertTrue(v.isClosed());
        Chan<String> nothing = go(() -> (String) null);
        assertNull(within(5, nothing::take));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void anExceptionClosesTheChannelAndReachesTheHandler(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Integer> r = go(() -> {
            throw new IllegalStateException("boom");
        });
        assertNull(within(5, r::take));
        eventually(5, () -> !reported.isEmpty());
        assertEquals("boom", reported.get(0).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void goFutureCompletesWithTheResultOrTheException(ProcessMode mode) throws Exception {
        mode(mode);
        assertEquals("ok", goFuture(() -> "ok").get(5, TimeUnit.SECONDS));
        CompletableFuture<Object> failed = goFuture(() -> {
            throw new IOException("io");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertNull(goFuture(() -> {}).get(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void theModeDecidesWhereTheBodyRuns(ProcessMode mode) {
        mode(mode);
        assertEquals(mode, processMode());
        Thread t = within(5, () -> go(Thread::currentThread).take());
        if (mode == ProcessMode.LOOP) {
            assertTrue(t.getName().startsWith("csp4j-forkjoin-"), t.getName());
            assertFalse(t.isVirtual());
        } else {
            assertTrue(t.isVirtual());
        }
    }

    @Test
    void loopModeIsTheDefaultWhenTheJvmOptionIsSet() {
        assertTrue(io.csp4j.internal.Engine.loopModeAvailable(), "the build passes the JVM option");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void threadRunsBlockingWorkOnAVirtualThread(ProcessMode mode) {
        mode(mode);
        Chan<String> r = thread(() -> {
            Thread.sleep(10);
            return Thread.currentThread().isVirtual() ? "virtual" : "platform";
        });
        assertEquals("virtual", within(5, r::take));
        Chan<String> fromGo = go(() -> thread(() -> "blocking result").take());
        assertEquals("blocking result", within(5, fromGo::take));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void sleepParksForAtLeastTheDuration(ProcessMode mode) {
        mode(mode);
        Chan<Long> r = go(() -> {
            long t0 = System.nanoTime();
            sleep(Duration.ofMillis(30));
            return System.nanoTime() - t0;
        });
        long took = within(5, r::take);
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30), "slept " + took + " ns");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void awaitParksUntilTheStageCompletes(ProcessMode mode) {
        mode(mode);
        CompletableFuture<String> f = new CompletableFuture<>();
        Chan<String> r = go(() -> await(f) + "!");
        assertNull(r.poll());
        f.complete("done");
        assertEquals("done!", within(5, r::take));
        assertEquals("now", within(5, () -> go(() -> await(CompletableFuture.completedFuture("now"))).take()));
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalArgumentException("bad"));
        Chan<String> err = go(() -> {
            try {
                return await(failed);
            } catch (IllegalArgumentException e) {
                return "caught " + e.getMessage();
            }
        });
        assertEquals("caught bad", within(5, err::take));
        CompletableFuture<String> checked = CompletableFuture.failedFuture(new IOException("io"));
        CompletionException ce = assertThrows(CompletionException.class, () -> await(checked));
        assertInstanceOf(IOException.class, ce.getCause());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ProcessMode.class)
    void aDaisyChainOfAHundredThousandProcessesCompletes(ProcessMode mode) {
        mode(mode);
        int n = 100_000;
        Chan<Integer> leftmost = chan();
        Chan<Integer> left = leftmost;
        Chan<Integer> right = leftmost;
        for (int i = 0; i < n; i++) {
            right = chan();
            Chan<Integer> l = left;
            Chan<Integer> r = right;
            go(() -> {
                l.put(1 + r.take());
            });
            left = right;
        }
        Chan<Integer> last = right;
        go(() -> {
            last.put(1);
        });
        assertEquals(n + 1, within(60, leftmost::take));
    }

    @Test
    void aMillionProcessesEachParkedOnItsOwnChannelFitInTheHeap() throws Exception {
        mode(ProcessMode.LOOP);
        int n = 1_000_000;
        Chan<Integer> started = chan(Buffers.unbounded());
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        Chan<?>[] own = new Chan<?>[n];
        for (int i = 0; i < n; i++) {
            Chan<Integer> c = chan();
            own[i] = c;
            go(() -> {
                started.put(1);
                Integer v = c.take();
                ended.incrementAndGet();
                return v;
            });
        }
        within(120, () -> {
            for (int i = 0; i < n; i++) started.take();
            return null;
        });
        // All parked; release a sample and check they resume with their value.
        for (int i = 0; i < n; i += 100_000) {
            @SuppressWarnings("unchecked")
            Chan<Integer> c = (Chan<Integer>) own[i];
            int v = i;
            within(5, () -> c.put(v));
        }
        eventually(10, () -> ended.get() == 10);
        for (Chan<?> c : own) c.close(); // let the rest end, and wait for them
        eventually(120, () -> ended.get() == n);
    }

    @Test
    void blockingOnADispatcherThreadOutsideAProcessFailsClearly() throws Exception {
        Chan<Integer> c = chan();
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        dispatcher().execute(() -> {
            try {
                c.take();
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        Throwable t = seen.get(5, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().startsWith("take() would block the forkjoin dispatcher's thread csp4j-forkjoin-"),
                t.getMessage());
        assertTrue(t.getMessage().endsWith("call it inside go(...) or use takeAsync()"), t.getMessage());
        CompletableFuture<Throwable> sleepSeen = new CompletableFuture<>();
        dispatcher().execute(() -> {
            try {
                sleep(1);
                sleepSeen.complete(null);
            } catch (Throwable x) {
                sleepSeen.complete(x);
            }
        });
        assertInstanceOf(IllegalStateException.class, sleepSeen.get(5, TimeUnit.SECONDS));
    }

    /** A class whose static initializer parks: the continuation is pinned by the class-init frame. */
    static final class ParksInStaticInit {
        static final Chan<Integer> CH = chan();
        static final Integer VALUE = CH.take();
    }

    @Test
    void parkingWhereTheContinuationIsPinnedFailsWithAClearError() throws Exception {
        mode(ProcessMode.LOOP);
        Chan<Object> r = go(() -> ParksInStaticInit.VALUE);
        assertNull(within(10, r::take), "the go block failed instead of hanging");
        eventually(5, () -> !reported.isEmpty());
        Throwable t = reported.get(0);
        while (t.getCause() != null && !(t instanceof IllegalStateException)) t = t.getCause();
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().startsWith("take() cannot park: the go block is pinned to its thread"), t.getMessage());
    }

    @Test
    void badArguments() {
        assertThrows(NullPointerException.class, () -> go((Csp.Body<Object>) null));
        assertThrows(NullPointerException.class, () -> go((Csp.VoidBody) null));
        assertThrows(NullPointerException.class, () -> thread((Csp.Body<Object>) null));
        assertThrows(NullPointerException.class, () -> sleep(null));
        assertThrows(NullPointerException.class, () -> await(null));
        assertThrows(NullPointerException.class, () -> timeout(null));
        assertThrows(NullPointerException.class, () -> useProcessMode(null));
    }
}
