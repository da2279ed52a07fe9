package io.csp4j.netty;

import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import io.csp4j.tck.SharedResources;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The whole TCK ({@code tck/SPEC.md}) against the Netty backend over a group of its own (two
 * executors, so that lanes really are different threads), and clauses 1.11a and 1.11b against
 * {@link NettyDispatcher#over} an application's {@code EventLoopGroup} of two event loops.
 *
 * <p>A lane is one {@code EventExecutor}: one thread, one queue, so the backend declares thread
 * affinity and FIFO lanes.
 */
class NettyTckTest extends EngineVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new NettyDispatcher(2);
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES);
    }

    @Override
    protected SharedResources createSharedResources() {
        EventLoopGroup group = new DefaultEventLoopGroup(2, new DefaultThreadFactory("tck-application", true));
        return new SharedResources() {
            @Override
            public Dispatcher createDispatcher() {
                return NettyDispatcher.over(group);
            }

            @Override
            public void execute(Runnable task) {
                group.next().execute(task);
            }

            @Override
            public void close() {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        };
    }
}
