package io.csp4j;

/** {@link FlowPublisherTckTest}'s rules with the publisher's processes in virtual mode. */
public class FlowPublisherVirtualTckTest extends FlowPublisherTckTest {
    public FlowPublisherVirtualTckTest() {
        super(ProcessMode.VIRTUAL);
    }
}
