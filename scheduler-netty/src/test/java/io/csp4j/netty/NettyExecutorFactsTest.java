package io.csp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of Netty 4.2's executors that {@link NettyDispatcher} relies on, pinned here so that
 * a Netty upgrade that changes it fails a test instead of the engine: {@code execute} from the
 * executor's own thread enqueues; a throwing task is caught and logged by an I/O event loop, but
 * escapes {@code DefaultEventExecutor}'s run loop and terminates the executor; a throwing scheduled
 * task is only stored in its future. Hence the dispatcher wraps every task and timer; without an error
 * handler its failures reach the uncaught-exception handler of the thread that ran them (nothing is
 * logged by Netty) and the executor survives.
 */
class NettyExecutorFactsTest {

    /** Netty's loggers for task failures (JUL here: no SLF4J or Log4j on the test class path). */
    private static final String NETTY_TASK_LOGGER = "io.netty.util.concurrent.AbstractEventExecutor";
    private static final String NETTY_LOOP_LOGGER = "io.netty.util.concurrent.SingleThreadEventExecutor";
    private static final String OUR_LOGGER = NettyDispatcher.class.getName();

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    // Strong references: JUL keeps loggers weakly.
    private final List<Logger> loggers = List.of(Logger.getLogger(NETTY_TASK_LOGGER),
            Logger.getLogger(NETTY_LOOP_LOGGER), Logger.getLogger(OUR_LOGGER));

    @BeforeEach
    void captureLogs() {
        assumeTrue(InternalLoggerFactory.getDefaultFactory() instanceof JdkLoggerFactory,
                "Netty logs through " + InternalLoggerFactory.getDefaultFactory() + ", not JUL");
        for (Logger l : loggers) {
            l.addHandler(capture);
            l.setUseParentHandlers(false); // keep the expected stack traces out of the build output
        }
    }

    @AfterEach
    void restoreLogs() {
        for (Logger l : loggers) {
            l.removeHandler(capture);
            l.setUseParentHandlers(true);
        }
    }

    @Test
    void executeFromTheExecutorsOwnThreadEnqueues() throws Exception {
        EventExecutor e = new DefaultEventExecutor();
        try {
            AtomicBoolean ranInline = new AtomicBoolean(true);
            CountDownLatch l = new CountDownLatch(1);
            e.execute(() -> {
                AtomicBoolean returned = new AtomicBoolean();
                e.execute(() -> { ranInline.set(!returned.get()); l.countDown(); });
                returned.set(true);
            });
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertFalse(ranInline.get());
        } finally {
            e.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aThrowingTaskIsLoggedByAnIoEventLoopWhichSurvives() throws Exception {
        EventExecutorGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventExecutor e = nio.next();
            IllegalStateException boom = new IllegalStateException("boom");
            Thread[] threads = new Thread[2];
            e.execute(() -> { threads[0] = Thread.currentThread(); throw boom; });
            LogRecord r = awaitRecord(NETTY_TASK_LOGGER);
            assertTrue(r.getMessage().startsWith("A task raised an exception"), r.getMessage());
            assertSame(boom, r.getThrown());
            CountDownLatch l = new CountDownLatch(1);
            e.execute(() -> { threads[1] = Thread.currentThread(); l.countDown(); });
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertSame(threads[0], threads[1]);
            assertFalse(e.isShuttingDown());
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aThrowingTaskTerminatesAPlainDefaultEventExecutor() throws Exception {
        // The surprise: DefaultEventExecutor (and DefaultEventLoop) run tasks without catching.
        EventExecutor e = new DefaultEventExecutor();
        IllegalStateException boom = new IllegalStateException("boom");
        CountDownLatch secondQueued = new CountDownLatch(1);
        CountDownLatch queuedBehind = new CountDownLatch(1);
        e.execute(() -> {
            try {
                secondQueued.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            throw boom;
        });
        e.execute(queuedBehind::countDown);
        secondQueued.countDown();
        assertTrue(e.terminationFuture().await(5, TimeUnit.SECONDS), "the executor ended");
        assertTrue(queuedBehind.await(5, TimeUnit.SECONDS), "queued tasks still drain while it shuts down");
        LogRecord r = awaitRecord(NETTY_LOOP_LOGGER);
        assertTrue(r.getMessage().startsWith("Unexpected exception from an event executor"), r.getMessage());
        assertSame(boom, r.getThrown());
        assertThrows(RejectedExecutionException.class, () -> e.execute(() -> {}));
    }

    @Test
    void aThrowingScheduledTaskIsOnlyStoredInItsFutureNotLogged() throws Exception {
        EventExecutor e = new DefaultEventExecutor();
        try {
            IllegalStateException boom = new IllegalStateException("timer boom");
            ScheduledFuture<?> f = e.schedule(() -> { throw boom; }, 0, TimeUnit.MILLISECONDS);
            assertTrue(f.await(5, TimeUnit.SECONDS));
            assertSame(boom, f.cause());
            CountDownLatch after = new CountDownLatch(1);
            e.execute(after::countDown);
            assertTrue(after.await(5, TimeUnit.SECONDS));
            assertEquals(0, records.size(), "Netty logged it after all: " + records);
        } finally {
            e.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAHandlerTheDispatchersFailuresGoToTheThreadsHandlerAndItsExecutorsSurvive() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        // The loop threads have no handler of their own: the thread group passes the error on to this one.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reports.add(t.getName() + ": " + e.getMessage()));
        try (NettyDispatcher d = new NettyDispatcher(1)) {
            IllegalStateException task = new IllegalStateException("task boom");
            IllegalStateException timer = new IllegalStateException("timer boom");
            for (int i = 0; i < 10; i++) {
                d.execute(() -> { throw task; });
                d.lane().execute(() -> { throw task; });
                d.schedule(Duration.ZERO, () -> { throw timer; });
            }
            Thread.sleep(20);
            CountDownLatch later = new CountDownLatch(2);
            d.execute(later::countDown);
            d.schedule(Duration.ofMillis(1), later::countDown);
            assertTrue(later.await(5, TimeUnit.SECONDS));
            assertFalse(d.group().isShuttingDown(), "a failing task ended the executor");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reports.size() < 30 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(30, reports.size(), String.valueOf(reports));
            for (String r : reports) {
                assertTrue(r.matches("csp4j-netty-\\d+: (task|timer) boom"), r);
            }
            assertEquals(List.of(), records, "Netty logged the failures as well");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void theOwnGroupsThreadsAreFastThreadLocalThreads() throws Exception {
        try (NettyDispatcher d = new NettyDispatcher(1)) {
            Thread[] t = new Thread[1];
            CountDownLatch l = new CountDownLatch(1);
            d.execute(() -> { t[0] = Thread.currentThread(); l.countDown(); });
            assertTrue(l.await(5, TimeUnit.SECONDS));
            assertInstanceOf(io.netty.util.concurrent.FastThreadLocalThread.class, t[0]);
        }
    }

    private LogRecord awaitRecord(String logger) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (LogRecord r : records) {
                if (logger.equals(r.getLoggerName())) return r;
            }
            Thread.sleep(1);
        }
        assertNotNull(null, "nothing logged on " + logger + "; got " + records);
        return null;
    }
}
