package io.csp4j.netty;

import io.netty.channel.DefaultEventLoopGroup;

/** The contract over an application's {@code DefaultEventLoopGroup} (local transport loops). */
class DefaultEventLoopGroupContractTest extends NettyDispatcherContractTest {

    private final ApplicationGroups groups = new ApplicationGroups(() -> new DefaultEventLoopGroup(3));

    @Override
    NettyDispatcher newDispatcher(Thread.UncaughtExceptionHandler onError) {
        return NettyDispatcher.over(groups.next(), onError);
    }

    @Override
    void release() {
        groups.shutdownAll();
    }
}
