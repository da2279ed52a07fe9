package io.csp4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry behind {@code ./run}, and the examples' JVMs exiting on their own with status 0. */
@Timeout(120)
class ExamplesTest {

    private static final List<String> NAMES = List.of("pingpong", "daisychain", "boring", "boring-service",
            "boring-multiplexing", "fan-in-select", "timeout-using-select", "timeout-for-whole-conversation",
            "blocking", "buffered", "closed", "select", "go-block", "sequencing", "quit", "quit-reply",
            "google-1.0", "google-2.0", "google-2.1", "google-3.0", "google-3.0-scope", "prime-sieve", "prime-sieve-scope",
            "feed-merge",
            "vertx-search", "netty-chat");

    /** Servers: they have a main (a self-demo that exits) but no run(PrintStream). */
    private static final List<String> SERVERS = List.of("vertx-search", "netty-chat");

    @Test
    void everyExampleIsRegisteredWithAMainAndARun() throws Exception {
        assertEquals(NAMES, List.copyOf(Examples.ALL.keySet()));
        for (Examples.Example e : Examples.ALL.values()) {
            Method main = e.type().getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), e.name());
            if (!SERVERS.contains(e.name())) {
                assertTrue(Modifier.isStatic(e.type().getMethod("run", PrintStream.class).getModifiers()), e.name());
            }
            assertFalse(e.description().isBlank(), e.name());
        }
    }

    @Test
    void theListHasOneLinePerExample() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Examples.list(new PrintStream(bytes, true, UTF_8));
        List<String> lines = bytes.toString(UTF_8).lines().toList();
        assertEquals(NAMES.size() + 1, lines.size());
        for (int i = 0; i < NAMES.size(); i++) {
            String line = lines.get(i + 1);
            assertTrue(line.startsWith("  ./run " + NAMES.get(i) + " "), line);
            assertTrue(line.endsWith(Examples.ALL.get(NAMES.get(i)).description()), line);
        }
    }

    /** What a JVM running {@code Examples ARGS} printed, and its exit status. */
    private record Exit(int status, String out, String err) {}

    private static Exit java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Dcsp4j.dispatcher=forkjoin",
                "-cp", System.getProperty("java.class.path"), Examples.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        // Small outputs: read after exit is fine; a hang fails the wait below, not the test runner.
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "still running: " + command);
        return new Exit(p.exitValue(), new String(p.getInputStream().readAllBytes(), UTF_8),
                new String(p.getErrorStream().readAllBytes(), UTF_8));
    }

    @Test
    void examplesExitWithZeroLeavingNoThreadBehind() throws Exception {
        assertEquals(new Exit(0, "100001\n", ""), java("daisychain"));
        assertEquals(new Exit(0, "buffered\nchannel\na third offer on a full buffer: false\n", ""), java("buffered"));
        Exit pingpong = java("pingpong");
        assertEquals(0, pingpong.status(), pingpong::toString);
        assertTrue(pingpong.out().startsWith("ping 1\npong 2\n"), pingpong::toString);
        assertEquals("2\n3\n5\n", java("prime-sieve", "3").out());
    }

    @Test
    void noArgumentOrListPrintsTheList() throws Exception {
        Exit list = java("--list");
        assertEquals(0, list.status());
        for (String name : NAMES) {
            assertTrue(list.out().contains("./run " + name + " "), name);
        }
        assertEquals(list, java());
    }

    @Test
    void anUnknownNamePrintsTheListAndExitsWith2() throws Exception {
        Exit e = java("no-such-example");
        assertEquals(2, e.status());
        assertTrue(e.err().startsWith("No example named 'no-such-example'. The examples:"), e.err());
        assertTrue(e.err().contains("./run pingpong "), e.err());
    }
}
