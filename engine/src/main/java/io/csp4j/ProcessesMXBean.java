package io.csp4j;

/**
 * The JMX view of the live processes, registered as {@value #OBJECT_NAME} in the platform MBean
 * server the first time a process parks (lazily, from csp4j's watchdog thread), so that jconsole,
 * VisualVM, JMC or any JMX client sees the dump of a running program without changing it.
 * Thread-safe; every call takes a new snapshot.
 *
 * {@snippet :
 * ProcessesMXBean bean = JMX.newMXBeanProxy(connection, new ObjectName(ProcessesMXBean.OBJECT_NAME),
 *         ProcessesMXBean.class);
 * System.out.println(bean.dump());
 * }
 */
public interface ProcessesMXBean {

    /** The MBean's name. */
    String OBJECT_NAME = "io.csp4j:type=Processes";

    /** How many processes are live (listed by the dump). */
    int getProcessCount();

    /** How many of them are parked. */
    int getParkedCount();

    /** The dump, stacks included: {@link Diagnostics#dump()}. */
    String dump();

    /** Whether processes started from now on record where they were started. */
    boolean isRecordingStartSites();

    /** Turns the recording of start sites (the debug option) on or off for processes started from now on. */
    void setRecordingStartSites(boolean on);
}
