package io.csp4j.examples.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link NettyChat} with real TCP clients, in both process modes: every line reaches every other
 * client exactly once and in the sender's order, never its sender; connection go blocks run on the
 * connection's event loop in loop mode; {@code /quit} and a dropped connection both leave; the
 * scripted demo prints the expected transcript.
 */
class NettyChatTest {

    private static final int LINES = 200;
    private ProcessMode before;

    @BeforeEach
    void rememberMode() {
        before = Csp.processMode();
    }

    @AfterEach
    void restoreMode() {
        Csp.useProcessMode(before);
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyLineReachesEveryOtherClientExactlyOnceInTheSendersOrder(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        List<String> names = List.of("alice", "bob", "carol");
        try (NettyChat.Server server = new NettyChat.Server(0);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<ChatClient> clients = new ArrayList<>();
            for (String name : names) {
                ChatClient c = new ChatClient(name, server.port, null); // 1,200 lines: no transcript
                c.say(name).expect("* welcome " + name);
                for (ChatClient earlier : clients) earlier.expect("* " + name + " joined");
                clients.add(c);
            }
            List<CompletableFuture<Map<String, List<String>>>> heard = new ArrayList<>();
            for (ChatClient c : clients) {
                // Each client reads the 2 * LINES lines of the others, grouped by sender.
                heard.add(CompletableFuture.supplyAsync(() -> {
                    Map<String, List<String>> bySender = new LinkedHashMap<>();
                    try {
                        for (int i = 0; i < 2 * LINES; i++) {
                            String line = c.read();
                            int colon = line.indexOf(": ");
                            bySender.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
                                    .add(line.substring(colon + 2));
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    return bySender;
                }, threads));
            }
            for (ChatClient c : clients) {
                threads.submit(() -> {
                    for (int i = 0; i < LINES; i++) c.say("line " + i);
                });
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < LINES; i++) expected.add("line " + i);
            for (int k = 0; k < names.size(); k++) {
                Map<String, List<String>> got = heard.get(k).get(30, TimeUnit.SECONDS);
                Map<String, List<String>> want = new LinkedHashMap<>();
                for (String other : names) if (!other.equals(names.get(k))) want.put(other, expected);
                assertEquals(want, got, names.get(k) + " heard");
            }
            for (ChatClient c : clients) c.say("/quit");
            for (ChatClient c : clients) c.close();
            // The go blocks may still be ending (/quit) while we read: the counters are read
            // off-loop first, so that off <= steps holds, and compared without assuming quiescence.
            int off = server.stepsOffLoop.get();
            int steps = server.steps.get();
            assertTrue(steps >= 2 * 3 * LINES, "steps " + steps);
            if (mode == ProcessMode.LOOP) {
                assertEquals(0, off, "connection go blocks resumed off their connection's event loop");
            } else {
                assertTrue(off >= 2 * 3 * LINES, "virtual-mode go blocks run on virtual threads: " + off);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void quitClosesTheConnectionAndADroppedOneLeavesToo(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        try (NettyChat.Server server = new NettyChat.Server(0);
             ChatClient alice = new ChatClient("alice", server.port);
             ChatClient bob = new ChatClient("bob", server.port);
             ChatClient carol = new ChatClient("carol", server.port)) {
            alice.say("alice").expect("* welcome alice");
            bob.say("bob").expect("* welcome bob");
            alice.expect("* bob joined");
            carol.say("carol").expect("* welcome carol");
            alice.expect("* carol joined");
            bob.expect("* carol joined");

            bob.say("/quit").expect("* bye bob").expect(null);
            alice.expect("* bob left");
            carol.expect("* bob left");

            carol.close(); // dropped without /quit
            alice.expect("* carol left");
            alice.say("anyone?").say("/quit").expect("* bye alice").expect(null);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void theDemoPrintsTheTranscriptAndEnds(ProcessMode mode) throws Exception {
        Csp.useProcessMode(mode);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            NettyChat.main(new String[0]);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(List.of(
                "alice > alice", "alice < * welcome alice",
                "bob > bob", "bob < * welcome bob",
                "alice < * bob joined", "alice > hi bob",
                "bob < alice: hi bob", "bob > hello alice",
                "alice < bob: hello alice",
                "bob > /quit", "bob < * bye bob", "bob < (connection closed)",
                "alice < * bob left", "alice > /quit", "alice < * bye alice", "alice < (connection closed)"),
                captured.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
