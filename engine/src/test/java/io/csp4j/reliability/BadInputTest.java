package io.csp4j.reliability;

import static io.csp4j.Csp.alts;
import static io.csp4j.Csp.altsOrDefault;
import static io.csp4j.Csp.takeOp;
import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static io.csp4j.Csp.putOp;
import static io.csp4j.Csp.useProcessMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Buffer;
import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.ReadPort;
import io.csp4j.Xform;
import io.csp4j.reliability.Reliability.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input to every public entry point of {@code io.csp4j}: {@code null} where a value is needed,
 * sizes out of range, blocking calls on a dispatcher thread, the 1025th pending operation, puts
 * after close. Each fails at once, with the documented exception and a message that names the
 * argument or the fix, and leaves the channel as it was.
 */
class BadInputTest {

    private static final Consumer<Object> IGNORE = x -> {};

    // ------------------------------------------------------------------------------------- nulls

    @Test
    void cspRejectsNullsNamingTheArgument() {
        npe("buffer", () -> Csp.chan((Buffer<Object>) null));
        npe("buffer", () -> Csp.chan((Buffer<Object>) null, Xform.identity()));
        npe("xform", () -> Csp.chan(Buffers.fixed(1), null));
        npe("xform", () -> Csp.chan(Buffers.fixed(1), null, e -> null));
        npe("body", () -> Csp.go((Csp.Body<Object>) null));
        npe("body", () -> Csp.go((Csp.VoidBody) null));
        npe("body", () -> Csp.goFuture((Csp.Body<Object>) null));
        npe("body", () -> Csp.goFuture((Csp.VoidBody) null));
        npe("body", () -> Csp.thread((Csp.Body<Object>) null));
        npe("body", () -> Csp.thread((Csp.VoidBody) null));
        npe("duration", () -> Csp.timeout((Duration) null));
        npe("duration", () -> Csp.sleep((Duration) null));
        npe("stage", () -> Csp.await(null));
        npe("mode", () -> Csp.useProcessMode(null));
        npe("isDefault()", () -> Csp.altsOrDefault(null, AltOp.take(chan())));
        npe("Can't put null on a channel", () -> Csp.putOp(chan(), null));
        npe("Can't put null on a channel", () -> AltOp.put(chan(), null));
        // alts over a list or an array with a null operation: refused before anything is registered.
        Chan<Integer> c = chan();
        assertThrows(NullPointerException.class, () -> alts(AltOp.take(c), null));
        assertThrows(NullPointerException.class, () -> alts(java.util.Arrays.asList(AltOp.take(c), null)));
        assertThrows(NullPointerException.class, () -> Csp.alts((List<AltOp>) null));
        assertFalse(c.offer(1), "no operation was registered on c");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void channelsRejectNullValuesAndCallbacks(Kind kind) {
        Chan<Integer> ch = kind.make(2);
        npe("Can't put null on a channel", () -> ch.put(null));
        npe("Can't put null on a channel", () -> ch.offer(null));
        npe("Can't put null on a channel", () -> ch.putAsync(null));
        npe("Can't put null on a channel", () -> ch.putAsync(null, IGNORE));
        npe("callback", () -> ch.putAsync(1, null));
        npe("callback", () -> ch.takeAsync((Consumer<Integer>) null));
        // Nothing happened: the channel is empty and open.
        assertNull(ch.poll());
        assertFalse(ch.isClosed());
    }

    @Test
    void transformationsRejectNullsAndBadSizes() {
        npe("f", () -> Xform.map(null));
        npe("f", () -> Xform.keep(null));
        npe("p", () -> Xform.filter(null));
        npe("p", () -> Xform.remove(null));
        npe("f", () -> Xform.mapcat(null));
        npe("p", () -> Xform.takeWhile(null));
        npe("p", () -> Xform.dropWhile(null));
        npe("f", () -> Xform.partitionBy(null));
        npe("separator", () -> Xform.interpose(null));
        npe("next", () -> Xform.identity().then(null));
        iae("take needs n >= 0, was -1", () -> Xform.take(-1));
        iae("drop needs n >= 0, was -1", () -> Xform.drop(-1));
        iae("partitionAll needs n >= 1, was 0", () -> Xform.partitionAll(0));
    }

    // ----------------------------------------------------------------------------- out of range

    @Test
    void sizesOutOfRangeNameTheFix() {
        iae("chan() or chan(0) for a rendezvous channel", () -> Csp.chan(-1));
        iae("needs a buffer of at least 1, was 0", () -> Csp.chan(0, Xform.identity()));
        iae("for a rendezvous channel use chan()", () -> Buffers.fixed(0));
        iae("A fixed buffer needs a size of at least 1, was -3", () -> Buffers.fixed(-3));
        iae("A dropping buffer needs a size of at least 1, was 0", () -> Buffers.dropping(0));
        iae("A sliding buffer needs a size of at least 1, was -1", () -> Buffers.sliding(-1));
        iae("0 for a rendezvous channel", () -> Csp.chanBuilder().buffer(-1));
        iae("maxPending must be at least 1, was 0", () -> Csp.chanBuilder().maxPending(0));
        iae("needs a buffer", () -> Csp.<Integer>chanBuilder().xform(Xform.identity()));
        npe("xform", () -> Csp.<Integer>chanBuilder().buffer(1).xform(null));
        // Edge values that are fine.
        assertNotNull(Csp.chan(0));
        assertNotNull(Csp.chanBuilder().buffer(0).build());
        assertNotNull(Csp.timeout(-5));
        assertNotNull(Csp.chanBuilder().maxPending(1).named(null).buffer((Buffer<Object>) null).build());
    }

    @Test
    void altsRefusesAPortThatIsNotACsp4jChannel() {
        ReadPort<Integer> foreign = new FaultInjectionTest.ForeignPort();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> alts(foreign));
        assertTrue(e.getMessage().contains("channels made by csp4j"), e.getMessage());
    }

    // ------------------------------------------------------------ blocking on a dispatcher thread

    @Test
    void blockingCallsOnADispatcherThreadThrowAndNameTheWayOut() throws Exception {
        assertBlockingRefused("take()", "takeAsync()", () -> chan().take());
        assertBlockingRefused("put()", "putAsync()", () -> chan().put(1));
        assertBlockingRefused("alts()", "altsAsync()", () -> alts(chan()));
        assertBlockingRefused("sleep()", "timeout", () -> Csp.sleep(10));
        assertBlockingRefused("await()", "thenAccept", () -> Csp.await(new CompletableFuture<>()));
        // Even what would complete at once is refused (docs/adr/0003): the check does not depend on
        // timing, so code that would block under load fails on its first run.
        assertBlockingRefused("put()", "putAsync()", () -> chan(1).put(1));
        assertBlockingRefused("alts()", "altsAsync()", () -> {
            Chan<Integer> c = chan(1);
            c.offer(1);
            alts(c);
        });
    }

    /** What never waits is allowed on a dispatcher thread: offer, poll, altsOrDefault, the async forms. */
    @Test
    void operationsThatNeverWaitAreAllowedOnADispatcherThread() throws Exception {
        CompletableFuture<Object> ok = onDispatcherThread(() -> {
            Chan<Integer> c = chan(1);
            assertTrue(c.offer(1));
            assertEquals(1, c.poll());
            assertTrue(altsOrDefault("none", putOp(c, 2)).from(c));
            assertEquals(2, altsOrDefault("none", takeOp(c)).value());
            assertTrue(altsOrDefault("none", takeOp(c)).isDefault());
            c.putAsync(3);
        });
        assertNull(ok.get(10, TimeUnit.SECONDS));
    }

    private static void assertBlockingRefused(String what, String instead, Executable op) throws Exception {
        Object r = onDispatcherThread(op).get(10, TimeUnit.SECONDS);
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, r, what + " did not throw");
        assertTrue(e.getMessage().startsWith(what + " would block the "), e.getMessage());
        assertTrue(e.getMessage().contains("go(...)") && e.getMessage().contains(instead), e.getMessage());
    }

    /** Runs {@code op} in a callback on the dispatcher; completes with what it threw, or null. */
    private static CompletableFuture<Object> onDispatcherThread(Executable op) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        Chan<Integer> trigger = chan(1);
        trigger.takeAsync(v -> {
            try {
                assertTrue(Csp.dispatcher().isDispatcherThread());
                op.execute();
                out.complete(null);
            } catch (Throwable t) {
                out.complete(t);
            }
        });
        trigger.put(1);
        return out;
    }

    // --------------------------------------------------------------------- the 1025th pending op

    @Test
    void the1025thPendingPutIsRefusedAndTheFirst1024AreKept() {
        Chan<Integer> c = chan();
        for (int i = 0; i < 1024; i++) {
            c.putAsync(i, IGNORE);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.putAsync(1024, IGNORE));
        assertTrue(e.getMessage().startsWith("No more than 1024 pending puts are allowed on a single channel. "),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.putAsync(1024));
        for (int i = 0; i < 1024; i++) {
            assertEquals(i, c.poll(), "pending puts are delivered in order");
        }
        assertNull(c.poll(), "the refused put left nothing");
        c.putAsync(5, IGNORE); // room again
        assertEquals(5, c.poll());
    }

    @Test
    void the1025thPendingTakeIsRefusedAndTheFirst1024AreKept() throws Exception {
        Chan<Integer> c = chan();
        ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(1024);
        for (int i = 0; i < 1024; i++) {
            c.takeAsync(v -> {
                got.add(v == null ? "null" : v);
                all.countDown();
            });
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.takeAsync(IGNORE));
        assertTrue(e.getMessage().startsWith("No more than 1024 pending takes are allowed on a single channel. "),
                e.getMessage());
        assertThrows(IllegalStateException.class, c::takeAsync);
        for (int i = 0; i < 1000; i++) {
            assertTrue(c.offer(i), "a pending taker takes it");
        }
        c.close();
        assertTrue(all.await(10, TimeUnit.SECONDS));
        assertEquals(1024, got.size());
        assertEquals(24, got.stream().filter("null"::equals).count(), "close released the other 24 with null");
    }

    /** 1025 processes put on one rendezvous channel nobody takes from: exactly one fails, and reports it. */
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void the1025thParkedPutterFailsInsideItsProcess(ProcessMode mode) throws Exception {
        useProcessMode(mode);
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        Csp.setUncaughtExceptionHandler(reported::add);
        try {
            Chan<Integer> c = chan();
            for (int i = 0; i < 1025; i++) {
                int v = i;
                go(() -> {
                    c.put(v);
                });
            }
            assertTrue(Reliability.eventually(() -> reported.size() == 1, Duration.ofSeconds(10)));
            assertInstanceOf(IllegalStateException.class, reported.peek());
            int count = 0;
            long sum = 0;
            Integer v;
            while (count < 1024 && (v = c.take()) != null) {
                count++;
                sum += v;
            }
            assertEquals(1024, count);
            assertNull(c.poll(), "exactly 1024 were pending");
            assertTrue(sum >= 1023L * 1024 / 2, "1024 distinct values");
            assertEquals(1, reported.size());
        } finally {
            Csp.setUncaughtExceptionHandler(null);
        }
    }

    @Test
    void aConfiguredLimitIsTheOneEnforced() {
        Chan<Integer> c = Csp.<Integer>chanBuilder().maxPending(3).named("small").build();
        for (int i = 0; i < 3; i++) {
            c.putAsync(i, IGNORE);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.putAsync(3, IGNORE));
        assertTrue(e.getMessage().startsWith("No more than 3 pending puts"), e.getMessage());
        Chan<Integer> windowed = Csp.chan(Buffers.sliding(1));
        for (int i = 0; i < 5_000; i++) {
            assertTrue(windowed.offer(i), "a windowed buffer never makes a put wait");
        }
        assertEquals(4_999, windowed.poll());
    }

    // ------------------------------------------------------------------------------ after close

    @ParameterizedTest
    @EnumSource(Kind.class)
    void putsAfterCloseReturnFalseEverywhere(Kind kind) throws Exception {
        Chan<Integer> ch = kind.make(2);
        ch.close();
        ch.close(); // idempotent
        assertTrue(ch.isClosed());
        assertFalse(ch.put(1));
        assertFalse(ch.offer(1));
        assertFalse(ch.putAsync(1).toCompletableFuture().get(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> cb = new CompletableFuture<>();
        ch.putAsync(1, cb::complete);
        assertFalse(cb.get(10, TimeUnit.SECONDS));
        AltResult r = alts(putOp(ch, 1));
        assertEquals(Boolean.FALSE, r.value());
        assertTrue(r.from(ch));
        assertNull(ch.take());
        assertNull(ch.poll());
        assertNull(ch.takeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS));
        AltResult t = alts(ch);
        assertNull(t.value());
        assertTrue(t.from(ch));
    }

    private static void npe(String fragment, Executable e) {
        NullPointerException x = assertThrows(NullPointerException.class, e);
        assertNotNull(x.getMessage(), "an NPE without a message");
        assertTrue(x.getMessage().contains(fragment), () -> "'" + x.getMessage() + "' does not name " + fragment);
    }

    private static void iae(String fragment, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(fragment), () -> "'" + x.getMessage() + "' does not say " + fragment);
    }

}
