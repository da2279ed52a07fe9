package io.csp4j.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a new user's project, end to end. Installs the published artifacts the reactor just
 * built into a throw-away local repository (everything else in it is the build's own local
 * repository, linked, so nothing is downloaded), copies {@code starter/} next to it, builds it
 * offline ({@code mvn -o package exec:java exec:exec@run}: compile, its tests, the executable jar), runs
 * {@code java -jar}, and checks that every run printed the greetings, ran in loop mode and ended
 * promptly once {@code main} returned (exec:java used to wait 15 s for csp4j's threads).
 *
 * <p>Runs after the published modules in {@code mvn verify} (the reactor packaged them already); a
 * {@code mvn test} of the reactor has no jars yet and skips it, saying so.
 */
class StarterProjectTest {

    /** The published artifacts: folder, artifactId, packaging. */
    static final List<String[]> PUBLISHED = List.of(
            new String[] {".", "csp4j-parent", "pom"},
            new String[] {"bom", "csp4j-bom", "pom"},
            new String[] {"scheduler-spi", "csp4j-scheduler-spi", "jar"},
            new String[] {"engine", "csp4j-engine", "jar"},
            new String[] {"scheduler-forkjoin", "csp4j-scheduler-forkjoin", "jar"},
            new String[] {"scheduler-vertx", "csp4j-scheduler-vertx", "jar"},
            new String[] {"scheduler-netty", "csp4j-scheduler-netty", "jar"},
            new String[] {"tck", "csp4j-tck", "jar"});

    static final String GREETINGS = "hello, Go\nhello, core.async\nhello, kotlinx\nprocess mode: LOOP\n";
    /** The longest pause allowed between main's last line and the end of its run. */
    static final long PROMPT_MS = 5_000;

    final Path root = Paths.get(System.getProperty("csp4j.root", "..")).toAbsolutePath().normalize();
    final String version = System.getProperty("csp4j.version", "0.1.0-SNAPSHOT");
    final Path m2 = Paths.get(System.getProperty("csp4j.localRepository",
            System.getProperty("user.home") + "/.m2/repository"));
    final Path mvn = Paths.get(System.getProperty("csp4j.maven.home", "/usr/share/maven"), "bin", "mvn");

    /** One line of a child process's output and when it was read. */
    record Line(long nanos, String text) {}

    @Test
    void theStarterBuildsOfflineAgainstTheInstalledArtifactsRunsInLoopModeAndExitsPromptly(@TempDir Path tmp)
            throws Exception {
        for (String[] p : PUBLISHED) {
            if (p[2].equals("jar")) {
                Assumptions.assumeTrue(Files.isRegularFile(jar(p)),
                        "no " + jar(p) + " yet: the reactor has not packaged it (run mvn verify, not mvn test)");
            }
        }
        Path repo = throwAwayRepository(tmp.resolve("repo"));

        // 1. Install the artifacts (maven-install-plugin's install-file, one execution each).
        Path installer = tmp.resolve("install");
        Files.createDirectories(installer);
        Files.writeString(installer.resolve("pom.xml"), installerPom());
        long t0 = System.nanoTime();
        List<Line> install = run(installer, 120, mvn.toString(), "-o", "-B", "-ntp", "-q",
                "-Dmaven.repo.local=" + repo, "validate");
        for (String[] p : PUBLISHED) {
            Path installed = repo.resolve("io/csp4j/" + p[1] + "/" + version + "/" + p[1] + "-" + version + "." + p[2]);
            assertTrue(Files.isRegularFile(installed), "installed " + installed + "\n" + text(install));
        }

        // 2. Build the starter offline, run its tests, then run it with exec:java and exec:exec.
        long t1 = System.nanoTime();
        Path starter = tmp.resolve("starter");
        copy(root.resolve("starter"), starter);
        List<Line> build = run(starter, 240, mvn.toString(), "-o", "-B", "-ntp",
                "-Dmaven.repo.local=" + repo, "-Dcsp4j.version=" + version, "package", "exec:java", "exec:exec@run");
        String out = text(build);
        assertTrue(out.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), "the starter's tests ran:\n" + out);
        assertTrue(Files.isRegularFile(starter.resolve("target/lib/csp4j-engine-" + version + ".jar")), out);
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < build.size(); i++) {
            if (build.get(i).text().equals("process mode: LOOP")) ends.add(i);
        }
        assertEquals(2, ends.size(), "exec:java and exec:exec each ran main in loop mode:\n" + out);
        for (int end : ends) {
            assertEquals(GREETINGS, join(build.subList(end - 3, end + 1)), out);
        }
        // exec:java: main returned, then Maven went on to exec:exec@run within PROMPT_MS.
        Line javaEnd = build.get(ends.get(0));
        Line next = build.stream().skip(ends.get(0) + 1)
                .filter(l -> l.text().contains("exec-maven-plugin") && l.text().contains(":exec ")).findFirst()
                .orElseThrow(() -> new AssertionError("exec:exec started after exec:java:\n" + out));
        long paused = (next.nanos() - javaEnd.nanos()) / 1_000_000;
        assertTrue(paused < PROMPT_MS, "exec:java ended " + paused + " ms after main's last line\n" + out);

        // 3. The executable jar: its manifest carries the loop-mode option.
        Path jar = starter.resolve("target/csp4j-starter.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("java.base/jdk.internal.vm", j.getManifest().getMainAttributes().getValue("Add-Exports"));
        }
        long t2 = System.nanoTime();
        List<Line> ran = run(starter, 60, javaHome().resolve("bin/java").toString(), "-jar", jar.toString());
        assertEquals(GREETINGS, join(ran), "java -jar printed");
        long afterLast = (System.nanoTime() - ran.get(ran.size() - 1).nanos()) / 1_000_000;
        assertTrue(afterLast < PROMPT_MS, "java -jar ended " + afterLast + " ms after main's last line");
        System.out.printf("starter: install %d ms, build and run (package exec:java exec:exec@run) %d ms,"
                + " java -jar %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
    }

    private Path jar(String[] p) {
        return root.resolve(p[0]).resolve("target/" + p[1] + "-" + version + ".jar");
    }

    /**
     * A local repository of its own for csp4j's artifacts: every other group of the build's local
     * repository is linked into it, so the plugins and libraries are there offline and no csp4j
     * artifact installed before (by anyone) can stand in for the ones under test.
     */
    private Path throwAwayRepository(Path repo) throws IOException {
        Files.createDirectories(repo.resolve("io"));
        try (Stream<Path> top = Files.list(m2)) {
            for (Path p : (Iterable<Path>) top::iterator) {
                String name = p.getFileName().toString();
                if (!name.equals("io")) Files.createSymbolicLink(repo.resolve(name), p);
            }
        }
        if (Files.isDirectory(m2.resolve("io"))) {
            try (Stream<Path> io = Files.list(m2.resolve("io"))) {
                for (Path p : (Iterable<Path>) io::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.equals("csp4j")) Files.createSymbolicLink(repo.resolve("io").resolve(name), p);
                }
            }
        }
        return repo;
    }

    private String installerPom() {
        StringBuilder executions = new StringBuilder();
        for (String[] p : PUBLISHED) {
            Path pom = root.resolve(p[0]).resolve("pom.xml").normalize();
            Path file = p[2].equals("pom") ? pom : jar(p);
            executions.append("""
                            <execution>
                              <id>%s</id>
                              <phase>validate</phase>
                              <goals><goal>install-file</goal></goals>
                              <configuration>
                                <file>%s</file>
                                <pomFile>%s</pomFile>
                                <packaging>%s</packaging>
                              </configuration>
                            </execution>
                    """.formatted(p[1], file, pom, p[2]));
        }
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.csp4j.test</groupId>
                  <artifactId>install-for-starter</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-install-plugin</artifactId>
                        <version>%s</version>
                        <executions>
                %s        </executions>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(System.getProperty("csp4j.install.plugin.version", "3.1.4"), executions);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) continue;
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
    }

    private static Path javaHome() {
        return Paths.get(System.getProperty("java.home"));
    }

    /** Runs a command in {@code dir} with this JVM's JDK, reading its output line by line as it comes. */
    private static List<Line> run(Path dir, int seconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", javaHome().toString());
        env.put("PATH", javaHome().resolve("bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.remove("JDK_JAVA_OPTIONS"); // loop mode must come from the starter's own set-up
        env.remove("MAVEN_ARGS");
        // Maven 3.8/3.9 use sun.misc.Unsafe, which JDK 24+ warns about (see the README).
        env.put("MAVEN_OPTS", Runtime.version().feature() >= 23 ? "--sun-misc-unsafe-memory-access=allow" : "");
        Process p = pb.start();
        List<Line> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(new Line(System.nanoTime(), l));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5_000);
            fail(String.join(" ", command) + " did not end within " + seconds + " s:\n" + text(lines));
        }
        reader.join(10_000);
        String out = text(lines);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return lines;
    }

    private static String text(List<Line> lines) {
        synchronized (lines) {
            return join(lines);
        }
    }

    private static String join(List<Line> lines) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) b.append(l.text()).append('\n');
        return b.toString();
    }
}
