package io.csp4j.internal;

/** One operation of an {@code alts}: its state is the shared {@link AltFlag}; firing wakes the alts' waiter. */
final class AltHandler extends Handler {

    private final AltFlag flag;
    private final int index;
    private final boolean blockable;

    AltHandler(AltFlag flag, int index, boolean blockable) {
        this.flag = flag;
        this.index = index;
        this.blockable = blockable;
    }

    @Override
    boolean isBlockable() {
        return blockable;
    }

    @Override
    AltFlag flag() {
        return flag;
    }

    @Override
    boolean isActive() {
        return flag.active;
    }

    @Override
    void commit() {
        flag.active = false;
    }

    @Override
    void fire(Object result) {
        flag.winner = index;
        flag.waiter.fire(result);
    }
}
