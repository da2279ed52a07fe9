package io.csp4j.netty;

import io.csp4j.spi.Dispatcher;
import io.csp4j.tck.Capability;
import io.csp4j.tck.EngineVerification;
import io.csp4j.tck.SharedResources;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The whole TCK ({@code tck/SPEC.md}) against the Netty backend over a group of its own (two
 * executors, so that lanes really are different threads), and clauses 1.11a and 1.11b against
 * {@link NettyDispatcher#over} an application's {@code EventLoopGroup} of two NIO event loops (the
 * kind a server has; a selector loop sleeps until its next deadline unless woken, which clause 1.14a
 * checks over it).
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
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES);
    }

    @Override
    protected SharedResources createSharedResources() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("tck-application", true),
                NioIoHandler.newFactory());
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
