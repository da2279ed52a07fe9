package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.internal.ManyToManyChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** A channel's toString(): name, buffer kind and fill, pending puts and takes, closed (issue 15). */
class ChannelToStringTest extends EngineTestSupport {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void showsTheTakesParkedOnAnUnbufferedChannel(ProcessMode m) throws Exception {
        mode(m);
        Chan<String> orders = Csp.<String>chanBuilder().named("orders").build();
        assertEquals("orders[unbuffered]", orders.toString());
        Chan<String> a = go(orders::take);
        Chan<String> b = go(orders::take);
        eventually(10, () -> ((ManyToManyChannel<?>) orders).pendingTakes() == 2);
        assertEquals("orders[unbuffered, 2 takes pending]", orders.toString());
        orders.put("x");
        orders.close();
        List<String> got = new ArrayList<>();
        got.add(a.take());
        got.add(b.take());
        got.sort(java.util.Comparator.nullsLast(String::compareTo));
        assertEquals(java.util.Arrays.asList("x", null), got);
        assertEquals("orders[unbuffered, closed]", orders.toString());
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void showsTheFillOfAFixedBufferAndThePutsParkedBeyondIt(ProcessMode m) throws Exception {
        mode(m);
        Chan<Integer> c = Csp.<Integer>chanBuilder().buffer(3).named("jobs").build();
        c.put(1);
        assertEquals("jobs[fixed 1/3]", c.toString());
        c.put(2);
        c.put(3);
        go(() -> c.put(4));
        eventually(10, () -> ((ManyToManyChannel<?>) c).pendingPuts() == 1);
        assertEquals("jobs[fixed 3/3, 1 put pending]", c.toString());
        assertEquals(1, c.take());
        eventually(10, () -> ((ManyToManyChannel<?>) c).pendingPuts() == 0);
        assertEquals("jobs[fixed 3/3]", c.toString());
    }

    @Test
    void namesEveryBufferKind() {
        assertEquals("Chan[unbuffered]", chan().toString());
        Chan<Integer> d = chan(Buffers.dropping(2));
        d.put(1);
        assertEquals("Chan[dropping 1/2]", d.toString());
        Chan<Integer> s = chan(Buffers.sliding(2));
        for (int i = 0; i < 5; i++) s.put(i);
        assertEquals("Chan[sliding 2/2]", s.toString());
        Chan<Integer> u = chan(Buffers.unbounded());
        for (int i = 0; i < 5; i++) u.put(i);
        assertEquals("Chan[unbounded 5]", u.toString());
        Chan<Integer> p = promiseChan();
        assertEquals("promiseChan[promise unset]", p.toString());
        p.put(7);
        p.close();
        assertEquals("promiseChan[promise set, closed]", p.toString());
        Chan<Integer> pending = chan();
        pending.putAsync(1);
        pending.putAsync(2);
        pending.takeAsync(); // takes one of them: one put stays pending
        assertEquals("Chan[unbuffered, 1 put pending]", pending.toString());
    }

    @Test
    void isSafeFromAnyThreadWhileTheChannelIsBusy() throws Exception {
        Chan<Integer> c = Csp.<Integer>chanBuilder().buffer(4).named("busy").build();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(2);
        Runnable churn = () -> {
            for (int i = 0; !stop.get(); i++) {
                if (!c.offer(i)) c.poll();
            }
            done.countDown();
        };
        Thread.ofPlatform().start(churn);
        Thread.ofPlatform().start(churn);
        try {
            for (int i = 0; i < 20_000; i++) {
                String s = c.toString();
                assertTrue(s.matches("busy\\[(fixed [0-4]/4|busy)]"), s);
            }
        } finally {
            stop.set(true);
        }
        done.await();
    }
}
