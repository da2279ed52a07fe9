package io.csp4j.internal;

import java.util.concurrent.ThreadFactory;

/**
 * A process in virtual mode: its body runs on a virtual thread of the JDK's scheduler, which is
 * bound to this object ({@link GoProcess#current()}) for its whole life, and parks with
 * {@code LockSupport} in {@link ParkingHandler}.
 */
final class VirtualProcess extends GoProcess implements Runnable {

    private static final ThreadFactory THREADS = Thread.ofVirtual().factory();

    private final Runnable body;
    private final Thread thread;

    VirtualProcess(Runnable body, String name, Object scope) {
        super(name, scope);
        this.body = body;
        this.thread = THREADS.newThread(this);
    }

    @Override
    public void start() {
        thread.start();
    }

    /** The virtual thread the body runs on (for diagnostics: its stack is the process's). */
    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        Current slot = new Current();
        slot.process = this;
        installSlot(slot);
        try {
            body.run();
        } finally {
            installSlot(null);
            ProcessRegistry.ended(this);
        }
    }
}
