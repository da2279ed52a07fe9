package io.csp4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs an example in one process mode and returns what it printed, line by line. */
final class Output {

    /** The lines, and how long the example took. */
    record Run(List<String> lines, long millis) {
        String last() {
            return lines.getLast();
        }

        List<String> allButLast() {
            return lines.subList(0, lines.size() - 1);
        }
    }

    private Output() {}

    /**
     * Runs {@code example} with processes in {@code mode}; fails if anything reached the engine's
     * uncaught-exception handler meanwhile.
     */
    static Run of(ProcessMode mode, Consumer<PrintStream> example) {
        Csp.useProcessMode(mode);
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Csp.setUncaughtExceptionHandler(uncaught::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (PrintStream out = new PrintStream(bytes, true, UTF_8)) {
            example.accept(out);
        } finally {
            Csp.setUncaughtExceptionHandler(null);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(), uncaught, "exceptions in processes");
        return new Run(bytes.toString(UTF_8).lines().toList(), millis);
    }

    /**
     * Asserts that every line is "NAME k" (or "NAME: k") for one of {@code names}, and that each
     * name's numbers count 0, 1, 2, ... in order; returns how many lines each name had.
     */
    static List<Integer> assertCounting(List<String> lines, String separator, String... names) {
        Pattern p = Pattern.compile("(" + String.join("|", java.util.Arrays.stream(names).map(Pattern::quote).toList()) + ")" + Pattern.quote(separator) + "(\\d+)");
        List<String> order = List.of(names);
        List<Integer> next = new ArrayList<>(java.util.Collections.nCopies(names.length, 0));
        for (String line : lines) {
            Matcher m = p.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line '" + line + "' in " + lines);
            int who = order.indexOf(m.group(1));
            assertEquals(next.get(who), Integer.parseInt(m.group(2)), () -> "out of order: '" + line + "' in " + lines);
            next.set(who, next.get(who) + 1);
        }
        return next;
    }
}
