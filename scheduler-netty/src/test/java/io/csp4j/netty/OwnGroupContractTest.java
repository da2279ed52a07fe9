package io.csp4j.netty;

/** The contract on the dispatcher's own {@code DefaultEventExecutorGroup}. */
class OwnGroupContractTest extends NettyDispatcherContractTest {

    @Override
    NettyDispatcher newDispatcher(Thread.UncaughtExceptionHandler onError) {
        return new NettyDispatcher(3, onError);
    }
}
