package io.csp4j.netty;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.spi.Dispatcher;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's real NIO event loops, bound as the engine's dispatcher with {@code NettyDispatcher.over}
 * and the given process mode; {@link #close()} restores the previous binding and mode and shuts the
 * group down.
 */
final class BoundLoops implements AutoCloseable {

    final EventLoopGroup group;
    final NettyDispatcher dispatcher;
    final List<EventLoop> loops = new ArrayList<>();
    private final Dispatcher previous;
    private final ProcessMode previousMode;

    BoundLoops(int nThreads, ProcessMode mode) {
        group = new MultiThreadIoEventLoopGroup(nThreads, NioIoHandler.newFactory());
        for (var e : group) {
            loops.add((EventLoop) e);
        }
        dispatcher = NettyDispatcher.over(group);
        previousMode = Csp.processMode();
        previous = Csp.useDispatcher(dispatcher);
        Csp.useProcessMode(mode);
    }

    /** {@return the loop whose thread is the caller's, or {@code null}} */
    EventLoop currentLoop() {
        for (EventLoop l : loops) {
            if (l.inEventLoop()) {
                return l;
            }
        }
        return null;
    }

    @Override
    public void close() {
        Csp.useDispatcher(previous);
        Csp.useProcessMode(previousMode);
        dispatcher.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
