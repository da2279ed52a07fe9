package io.csp4j.netty;

import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Application-owned groups created by a test, shut down by it at the end. */
final class ApplicationGroups {

    private final Supplier<EventExecutorGroup> factory;
    private final List<EventExecutorGroup> created = new ArrayList<>();

    ApplicationGroups(Supplier<EventExecutorGroup> factory) {
        this.factory = factory;
    }

    synchronized EventExecutorGroup next() {
        EventExecutorGroup g = factory.get();
        created.add(g);
        return g;
    }

    synchronized void shutdownAll() {
        for (EventExecutorGroup g : created) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        created.clear();
    }
}
