package io.csp4j.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's code is real code: every ```java block of README.md is a region of the snippet
 * sources in this package (verbatim, up to indentation), so it compiles; the runnable ones run, in
 * both process modes, and print exactly the ```text block that follows them in the README. The README
 * cites no file outside the repository.
 */
class ReadmeTest {

    static final Path ROOT = Paths.get(System.getProperty("csp4j.root", "..")).toAbsolutePath().normalize();
    static final Path SNIPPETS = ROOT.resolve("examples/src/test/java/io/csp4j/readme");

    /** The regions that run, by name. */
    static final Map<String, Runnable> RUNNABLE = new LinkedHashMap<>();
    static {
        RUNNABLE.put("first-program", ReadmeSnippets::firstProgram);
        RUNNABLE.put("put-take-alts", ReadmeSnippets::puttingTakingChoosing);
        RUNNABLE.put("go-block-fails", ReadmeSnippets::whenAGoBlockFails);
        RUNNABLE.put("shutdown", () -> ReadmeSnippets.ShuttingDown.main(new String[0]));
        RUNNABLE.put("combinators", ReadmeSnippets::combinators);
    }

    /** A fenced block of the README: its language and its text, indentation removed. */
    record Block(String lang, String text) {}

    static List<Block> readmeBlocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^([ \\t]*)```(\\w*)\\n(.*?)^[ \\t]*```[ \\t]*$", Pattern.DOTALL)
                .matcher(Files.readString(ROOT.resolve("README.md")));
        while (m.find()) blocks.add(new Block(m.group(2), dedent(m.group(3))));
        return blocks;
    }

    /** Every region of the snippet sources, by name, indentation removed. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Pattern region = Pattern.compile("(?m)^[ \\t]*// @start region=\"([\\w-]+)\"\\n(.*?)^[ \\t]*// @end\\n", Pattern.DOTALL);
        try (Stream<Path> files = Files.list(SNIPPETS)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = region.matcher(Files.readString(f));
                while (m.find()) {
                    String previous = regions.put(m.group(1), dedent(m.group(2)));
                    assertEquals(null, previous, "region " + m.group(1) + " defined twice");
                }
            }
        }
        return regions;
    }

    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        return b.toString();
    }

    @Test
    void everyJavaBlockOfTheReadmeIsARegionOfTheSnippetSourcesAndEveryRegionIsInTheReadme() throws IOException {
        List<Block> blocks = readmeBlocks();
        Map<String, String> regions = regions();
        List<String> unmatched = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (Block b : blocks) {
            if (!b.lang().equals("java")) continue;
            String name = regions.entrySet().stream().filter(e -> e.getValue().equals(b.text()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (name == null) unmatched.add(b.text());
            else used.add(name);
        }
        assertEquals(List.of(), unmatched, "README java blocks with no identical region in " + SNIPPETS
                + ": copy the block into a region there (or fix the block)");
        List<String> unused = new ArrayList<>(regions.keySet());
        unused.removeAll(used);
        assertEquals(List.of(), unused, "regions that are no longer in the README");
        assertTrue(used.size() >= 11, "the README's java blocks were found: " + used);
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void everyRunnableSnippetPrintsTheOutputTheReadmeShows(ProcessMode mode) throws Exception {
        List<Block> blocks = readmeBlocks();
        Map<String, String> regions = regions();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size() - 1; i++) {
            Block b = blocks.get(i);
            if (!b.lang().equals("java")) continue;
            for (var e : regions.entrySet()) {
                if (e.getValue().equals(b.text()) && RUNNABLE.containsKey(e.getKey())) {
                    Block next = blocks.get(i + 1);
                    assertEquals("text", next.lang(), "the README shows what " + e.getKey() + " prints, right after it");
                    expected.put(e.getKey(), next.text());
                }
            }
        }
        assertEquals(RUNNABLE.keySet(), expected.keySet(), "every runnable snippet is in the README with its output");
        Csp.useProcessMode(mode);
        PrintStream out = System.out;
        try {
            for (var e : RUNNABLE.entrySet()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
                try {
                    e.getValue().run();
                } finally {
                    System.setOut(out);
                    Csp.setUncaughtExceptionHandler(null);
                }
                assertEquals(expected.get(e.getKey()), buf.toString(StandardCharsets.UTF_8), e.getKey() + " in " + mode);
            }
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void theSwitchOverTakeResultCoversItsThreeCases() {
        var orders = new ReadmeSnippets.Orders();
        Chan<String> c = Csp.chan(1);
        c.put("7");
        assertEquals("order 7", orders.describe(c));
        assertEquals("nothing within 100 ms", orders.describe(c));
        c.close();
        assertEquals("no more orders", orders.describe(c));
    }

    @Test
    void theReadmeShowsThePendingLimitMessageAsTheEngineWritesIt() throws IOException {
        Chan<Integer> orders = Csp.<Integer>chanBuilder().named("orders").build();
        for (int i = 0; i < 1024; i++) orders.putAsync(i);
        String message = assertThrows(IllegalStateException.class, () -> orders.putAsync(1024)).getMessage();
        boolean shown = readmeBlocks().stream()
                .anyMatch(b -> b.lang().equals("text") && b.text().strip().replace('\n', ' ').equals(message));
        assertTrue(shown, "the README shows, wrapped, the message: " + message);
    }

    @Test
    void theReadmeCitesNoFileOutsideTheRepository() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertFalse(readme.contains("DESIGN.md"), "DESIGN.md is not in the repository");
        assertFalse(readme.contains("](../"), "a link out of the repository");
        Matcher links = Pattern.compile("\\]\\(([^)#]+)\\)").matcher(readme);
        while (links.find()) {
            String target = links.group(1);
            if (target.startsWith("http")) continue;
            assertTrue(Files.exists(ROOT.resolve(target)), "README links to " + target + ", which does not exist");
        }
    }
}
