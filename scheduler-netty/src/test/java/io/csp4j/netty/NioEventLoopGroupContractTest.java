package io.csp4j.netty;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/** The contract over an application's NIO {@code MultiThreadIoEventLoopGroup}, given to {@code over}. */
class NioEventLoopGroupContractTest extends NettyDispatcherContractTest {

    private final ApplicationGroups groups =
            new ApplicationGroups(() -> new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()));

    @Override
    NettyDispatcher newDispatcher(Thread.UncaughtExceptionHandler onError) {
        return NettyDispatcher.over(groups.next(), onError);
    }

    @Override
    void release() {
        groups.shutdownAll();
    }
}
