package io.csp4j.tck;

import io.csp4j.forkjoin.ForkJoinDispatcher;
import io.csp4j.spi.Dispatcher;
import java.util.EnumSet;
import java.util.Set;

/**
 * Part 1 of the TCK (the Dispatcher contract) against a ForkJoin dispatcher of four lanes, whatever
 * the machine has. {@link ForkJoinTckTest} runs the provider's dispatcher, one lane per processor:
 * two on a 2-core build machine, where the code that only runs with three lanes or more (a thief
 * choosing between several lanes with work waiting, several spinners and sleepers to wake) would
 * otherwise never meet the TCK, although every machine with four cores or more runs it.
 */
class ForkJoinFourLanesTckTest extends DispatcherVerification {

    @Override
    protected Dispatcher createDispatcher() {
        return new ForkJoinDispatcher(4);
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.of(Capability.THREAD_AFFINITY, Capability.FIFO_LANES, Capability.HOME_LANES,
                Capability.MIGRATES_UNSTARTED_WORK);
    }
}
