package io.csp4j.netty;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.ProcessMode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Channel to Netty promise ({@code NettyChannels.toPromise}) on real event loops: the next value,
 * a channel closed empty, listeners on the promise's executor, and cancellation (or completion
 * elsewhere) withdrawing the pending take so that no value is lost.
 */
class ChanToPromiseTest {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void thePromiseGetsTheNextValuePutByAGoBlockAndNotifiesOnItsExecutor(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(2, mode)) {
            EventLoop loop = b.loops.get(1);
            Chan<String> c = chan();
            Promise<String> p = NettyChannels.toPromise(c, loop);
            assertFalse(p.isDone());
            CompletableFuture<String> heard = new CompletableFuture<>();
            p.addListener(f -> heard.complete(f.getNow() + " onLoop=" + loop.inEventLoop()));
            go(() -> {
                c.put("first");
                c.put("second");
            });
            assertEquals("first onLoop=true", heard.get(10, TimeUnit.SECONDS));
            assertEquals("second", c.take(), "exactly one value was taken");
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aChannelClosedAndDrainedSucceedsWithNullAfterItsBufferedValue(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            Chan<Integer> c = chan(1);
            c.put(7);
            c.close();
            assertEquals(7, NettyChannels.toPromise(c, loop).get(5, TimeUnit.SECONDS));
            Promise<Integer> empty = NettyChannels.toPromise(c, loop);
            assertNull(empty.get(5, TimeUnit.SECONDS));
            assertTrue(empty.isSuccess());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void cancellingThePromiseWithdrawsTheTakeSoNoValueIsLost(ProcessMode mode) throws Exception {
        int n = Stress.scale(1_000);
        try (BoundLoops b = new BoundLoops(2, mode)) {
            for (int i = 0; i < n; i++) {
                EventLoop loop = b.loops.get(i % 2);
                Chan<Integer> c = chan(1);
                Promise<Integer> p = NettyChannels.toPromise(c, loop);
                // Cancelled on its own loop: the listener runs at once, and the take is withdrawn.
                assertTrue(loop.submit(() -> p.cancel(false)).get(5, TimeUnit.SECONDS));
                assertTrue(c.offer(i));
                assertEquals(i, c.poll(), "the value stayed in the channel");
                assertTrue(p.isCancelled());
            }
            // From another thread the withdrawal is asynchronous, but the value is still never lost.
            List<Chan<Integer>> chans = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Chan<Integer> c = chan();
                chans.add(c);
                assertTrue(NettyChannels.toPromise(c, b.loops.get(i % 2)).cancel(false));
            }
            Thread.sleep(100);
            for (Chan<Integer> c : chans) {
                assertFalse(c.offer(1), "no taker is left on the channel");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aPromiseCompletedElsewhereAlsoWithdrawsTheTake(ProcessMode mode) throws Exception {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            EventLoop loop = b.loops.get(0);
            Chan<String> c = chan(1);
            Promise<String> p = NettyChannels.toPromise(c, loop);
            IllegalStateException cause = new IllegalStateException("gave up");
            assertTrue(loop.submit(() -> p.tryFailure(cause)).get(5, TimeUnit.SECONDS));
            assertTrue(c.offer("kept"));
            assertEquals("kept", c.poll());
            assertSame(cause, p.cause());
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void nullArgumentsAreRefused(ProcessMode mode) {
        try (BoundLoops b = new BoundLoops(1, mode)) {
            assertThrows(NullPointerException.class, () -> NettyChannels.toPromise(null, b.loops.get(0)));
            assertThrows(NullPointerException.class, () -> NettyChannels.toPromise(chan(), null));
        }
    }
}
