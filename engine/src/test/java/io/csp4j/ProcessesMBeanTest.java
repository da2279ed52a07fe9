package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Processes MXBean (issue 15): registered on the first park, read through JMX's own proxy. */
class ProcessesMBeanTest extends EngineTestSupport {

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theMBeanShowsTheDumpToJmxClients(ProcessMode m) throws Exception {
        mode(m);
        Chan<String> ledger = Csp.<String>chanBuilder().named("ledger-" + m).build();
        Chan<String> taker = go(ledger::take);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(ProcessesMXBean.OBJECT_NAME);
        eventually(10, () -> server.isRegistered(name));
        eventually(10, () -> Diagnostics.processes().stream().anyMatch(p -> ("ledger-" + m + "[unbuffered, 1 take pending]").equals(p.parkedOn())));

        ProcessesMXBean bean = JMX.newMXBeanProxy(server, name, ProcessesMXBean.class);
        assertTrue(bean.getParkedCount() >= 1);
        assertTrue(bean.getProcessCount() >= bean.getParkedCount());
        String dump = bean.dump();
        assertTrue(dump.contains("in take() on ledger-" + m + "[unbuffered, 1 take pending]"), dump);
        assertTrue(dump.contains("at io.csp4j.internal.ManyToManyChannel.take("), dump);
        assertEquals(Boolean.FALSE, server.getAttribute(name, "RecordingStartSites"));
        bean.setRecordingStartSites(true);
        try {
            assertTrue(bean.isRecordingStartSites());
            Chan<String> second = go(ledger::take);
            eventually(10, () -> Diagnostics.processes().stream().anyMatch(p -> !p.startedAt().isEmpty()
                    && p.startedAt().get(0).getMethodName().contains("theMBeanShowsTheDumpToJmxClients")));
            ledger.put("a");
            ledger.put("b");
            assertEquals("ab", java.util.stream.Stream.of(taker.take(), second.take()).sorted().reduce("", String::concat));
        } finally {
            bean.setRecordingStartSites(false);
        }
        eventually(10, () -> Diagnostics.processes().stream().noneMatch(p -> p.parkedOn() != null
                && p.parkedOn().startsWith("ledger-" + m)));
    }
}
