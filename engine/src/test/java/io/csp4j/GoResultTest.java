package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The channel a go block returns is made only when someone uses it (GoResult): whichever comes
 * first, the body's end or the first operation on the channel, the result is delivered exactly once
 * and the channel closes after it.
 */
class GoResultTest extends EngineTestSupport {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aResultTakenLongAfterTheBodyEndedIsStillThereThenTheChannelIsClosed(ProcessMode mode) throws Exception {
        mode(mode);
        CountDownLatch ended = new CountDownLatch(1);
        Chan<Integer> r = go(() -> {
            try {
                return 42;
            } finally {
                ended.countDown();
            }
        });
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        Thread.sleep(20);
        assertTrue(r.isClosed(), "closed once the body ended, before anyone looked");
        assertEquals(42, within(5, r::take));
        assertNull(within(5, r::take));
        assertFalse(r.offer(1), "a put on the ended result channel is refused");
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aBodyWithoutResultOrWithAnExceptionClosesTheChannelEmpty(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Object> none = go(() -> null);
        assertNull(within(5, none::take));
        Chan<Object> failed = go(() -> {
            throw new IllegalStateException("deliberate failure of GoResultTest (ignore it)");
        });
        assertNull(within(5, failed::take));
        assertTrue(failed.isClosed());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void altsOverResultChannelsOfEndedAndRunningProcesses(ProcessMode mode) throws Exception {
        mode(mode);
        Chan<Integer> gate = chan();
        Chan<Integer> slow = go(() -> gate.take() * 2);
        Chan<Integer> done = go(() -> 7);
        AltResult first = within(5, () -> alts(AltOp.take(slow), AltOp.take(done)));
        assertSame(done, first.channel());
        assertEquals(7, first.<Integer>valueAs());
        assertTrue(within(5, () -> gate.put(21)));
        AltResult second = within(5, () -> alts(AltOp.take(slow)));
        assertSame(slow, second.channel());
        assertEquals(42, second.<Integer>valueAs());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void whateverComesFirstTheResultIsDeliveredExactlyOnce(ProcessMode mode) throws Exception {
        mode(mode);
        int n = SCALE * 2_000;
        AtomicInteger seen = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            int k = i;
            Chan<Integer> r = go(() -> k);
            if ((i & 1) == 0) {
                Thread.onSpinWait(); // vary who comes first: the first take, or the body's end
            }
            Integer v = within(5, r::take);
            assertEquals(k, v);
            assertNull(within(5, r::take), "exactly one value, then closed");
            seen.incrementAndGet();
        }
        assertEquals(n, seen.get());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void aResultThatIsItselfAGoBodyIsDelivered(ProcessMode mode) throws Exception {
        mode(mode);
        Csp.Body<String> inner = () -> "inner";
        CountDownLatch ended = new CountDownLatch(1);
        Chan<Csp.Body<String>> r = go(() -> {
            try {
                return inner;
            } finally {
                ended.countDown();
            }
        });
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        Thread.sleep(20);
        assertSame(inner, within(5, r::take));
        assertNull(within(5, r::take));
    }
}
