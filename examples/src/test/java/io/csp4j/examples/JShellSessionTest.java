package io.csp4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import io.csp4j.ProcessMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed README's REPL session, typed into a real {@code jshell} started the way {@code ./run jshell}
 * starts it (same startup files, same remote JVM options), in each process mode.
 */
@Timeout(180)
class JShellSessionTest {

    private static final Path STARTUP = Path.of("src/main/jshell/csp4j.jsh");
    private static final Path SESSION = Path.of("src/main/jshell/pingpong.jsh");

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void psAndDumpShowAParkedProcess(ProcessMode mode) throws IOException, InterruptedException {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        List<String> command = new ArrayList<>(List.of(jshell.toString(), "--feedback", "concise",
                "-R--add-exports", "-Rjava.base/jdk.internal.vm=ALL-UNNAMED", "-R-Dcsp4j.dispatcher=forkjoin",
                "-R-Dcsp4j.processes=" + mode.name().toLowerCase(Locale.ROOT),
                "--class-path", System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", STARTUP.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String session = """
                Chan<String> orders = Csp.<String>chanBuilder().named("orders").build();
                go(() -> orders.take());
                while (Diagnostics.processes().stream().noneMatch(p -> p.state() == ProcessInfo.State.PARKED)) Thread.sleep(20);
                ps();
                dump();
                orders.close();
                /exit
                """;
        try (OutputStream in = p.getOutputStream()) {
            in.write(session.getBytes(UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        Pattern line = Pattern.compile("process#\\d+ PARKED \\d+\\.\\d s in take\\(\\) on orders\\[unbuffered, 1 take pending\\] \\("
                + mode.name().toLowerCase(Locale.ROOT) + " mode\\)");
        assertEquals(2, line.matcher(out).results().count(), "once by ps(), once by dump(): " + out);
        assertTrue(out.contains("csp4j: 1 process (" + mode.name().toLowerCase(Locale.ROOT) + " mode)"), out);
        assertTrue(out.contains("at io.csp4j.internal.ManyToManyChannel.take("), "dump() shows the stack: " + out);
        assertFalse(out.contains("Exception"), out);
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pingPongFromTheRepl(ProcessMode mode) throws IOException, InterruptedException {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        List<String> command = new ArrayList<>(List.of(jshell.toString(), "--feedback", "concise",
                "-R--add-exports", "-Rjava.base/jdk.internal.vm=ALL-UNNAMED", "-R-Dcsp4j.dispatcher=forkjoin",
                "-R-Dcsp4j.processes=" + mode.name().toLowerCase(Locale.ROOT),
                "--class-path", System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", STARTUP.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Typed, not loaded: the session on stdin, then a line to show the mode, then /exit.
        String session = Files.readString(SESSION, UTF_8).replace("/exit", "")
                + "System.out.println(\"mode \" + processMode());\n/exit\n";
        try (OutputStream in = p.getOutputStream()) {
            in.write(session.getBytes(UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);

        // The REPL prints prompts ("jshell> ") before output; keep what the players and the last line printed.
        Pattern printed = Pattern.compile("((ping|pong) (\\d+|Ball's gone)|mode \\w+)$");
        List<String> lines = out.lines().map(printed::matcher).filter(Matcher::find).map(Matcher::group).toList();
        List<String> hits = lines.stream().filter(l -> l.matches("(ping|pong) \\d+")).toList();
        assertTrue(hits.size() >= 6 && hits.size() <= 12, out);
        String server = hits.getFirst().substring(0, 4);
        String other = server.equals("ping") ? "pong" : "ping";
        for (int i = 0; i < hits.size(); i++) {
            assertEquals((i % 2 == 0 ? server : other) + " " + (i + 1), hits.get(i), out);
        }
        assertEquals(List.of("mode " + mode), lines.subList(lines.size() - 1, lines.size()), out);
        List<String> gone = lines.subList(hits.size(), lines.size() - 1);
        assertEquals(2, gone.size(), out);
        assertTrue(gone.containsAll(List.of("ping Ball's gone", "pong Ball's gone")), out);
        assertTrue(lines.subList(0, hits.size()).equals(hits), out);
        assertFalse(out.contains("Exception"), out);
    }
}
