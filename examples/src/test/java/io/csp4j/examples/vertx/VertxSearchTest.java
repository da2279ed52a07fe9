package io.csp4j.examples.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.vertx.VertxCsp;
import io.csp4j.vertx.VertxDispatcher;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** VertxSearch over real HTTP: the response's shape, the 80 ms budget, where the go blocks ran. */
class VertxSearchTest {

    /** Server-side: the budget plus scheduling on a shared 2-core machine. */
    // Margins are wide: a 2-core CI machine running other JVMs delays timers by hundreds of ms. The
    // budget itself is checked by the "timed out" answers, not by the clock.
    static final long SERVER_MARGIN_MS = 1_000;
    /** Client round trip on a kept-alive connection: the budget plus HTTP and scheduling. */
    static final long CLIENT_MARGIN_MS = 3_000;

    static final Pattern SEARCH = Pattern.compile(
            "search: (\\d+) ms of an 80 ms budget \\(((\\d+) ms over: the deadline timer and the event loop ran late"
            + "|every kind answered in time)\\)");
    static final Pattern ELAPSED = Pattern.compile("elapsed: (\\d+) ms since the request arrived \\((\\d+) ms before the search began\\)");

    /** Checks one response body; returns the server-side elapsed milliseconds. */
    static long checkShape(String body, String query) {
        List<String> lines = body.lines().toList();
        assertEquals(6, lines.size(), body);
        for (int i = 0; i < 3; i++) {
            String kind = VertxSearch.KINDS.get(i);
            String line = lines.get(i);
            assertTrue(line.equals(kind + ": timed out")
                    || line.matches(Pattern.quote(kind + ": " + kind) + "[12]" + Pattern.quote(" result for \"" + query + "\"")),
                    "line " + i + ": " + line);
        }
        var s = SEARCH.matcher(lines.get(3));
        assertTrue(s.matches(), lines.get(3));
        long search = Long.parseLong(s.group(1));
        boolean fired = s.group(3) != null;
        boolean anyTimedOut = lines.subList(0, 3).stream().anyMatch(l -> l.endsWith(": timed out"));
        assertEquals(anyTimedOut, fired, "a kind is \"timed out\" exactly when the deadline fired: " + body);
        if (fired) {
            assertTrue(search >= VertxSearch.BUDGET_MS, "the deadline never fires early: " + body);
            assertEquals(search - VertxSearch.BUDGET_MS, Long.parseLong(s.group(3)), body);
        }
        var m = ELAPSED.matcher(lines.get(4));
        assertTrue(m.matches(), lines.get(4));
        long elapsed = Long.parseLong(m.group(1));
        assertTrue(elapsed >= search + Long.parseLong(m.group(2)) - 1, "elapsed covers the wait and the search: " + body);
        assertTrue(lines.get(5).startsWith("served on: "), lines.get(5));
        return elapsed;
    }

    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void answersEveryRequestWithinTheBudget(ProcessMode mode) throws Exception {
        Vertx vertx = Vertx.vertx();
        VertxDispatcher d = VertxDispatcher.over(vertx);
        Csp.useDispatcher(d);
        Csp.useProcessMode(mode);
        try {
            var server = new VertxSearch.Server(0);
            VertxCsp.await(vertx.deployVerticle(server));
            String base = "http://127.0.0.1:" + server.http.actualPort() + "/search?q=";
            HttpClient client = HttpClient.newHttpClient();
            client.send(HttpRequest.newBuilder(URI.create(base + "warmup")).build(), HttpResponse.BodyHandlers.ofString());
            int timedOut = 0;
            int n = 30;
            for (int i = 0; i < n; i++) {
                String q = "q" + i;
                long t0 = System.nanoTime();
                var r = client.send(HttpRequest.newBuilder(URI.create(base + q)).build(), HttpResponse.BodyHandlers.ofString());
                long roundTrip = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, r.statusCode());
                assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
                long elapsed = checkShape(r.body(), q);
                assertTrue(elapsed <= VertxSearch.BUDGET_MS + SERVER_MARGIN_MS, "server took " + elapsed + " ms");
                assertTrue(roundTrip <= VertxSearch.BUDGET_MS + CLIENT_MARGIN_MS, "round trip " + roundTrip + " ms");
                timedOut += (int) r.body().lines().filter(l -> l.endsWith("timed out")).count();
                String servedOn = r.body().lines().toList().get(5).substring("served on: ".length());
                if (mode == ProcessMode.LOOP) {
                    assertTrue(servedOn.startsWith("vert.x-eventloop-thread-"), servedOn);
                } else {
                    assertTrue(servedOn.isEmpty() || !servedOn.startsWith("vert.x-"), "a virtual thread: " + servedOn);
                }
            }
            // Each kind has two replicas of up to 100 ms: both miss 80 ms with probability 0.04.
            assertTrue(timedOut < n * 3, "not everything timed out: " + timedOut);
            for (int i = 0; i < n + 1; i++) assertTrue(server.served.take().startsWith("/search?q="));
        } finally {
            Csp.useDispatcher(null);
            d.close();
            VertxCsp.await(vertx.close());
        }
    }

    @Test
    void mainAnswersTwoDemoRequestsAndReturns() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            VertxSearch.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("Listening on http://127\\.0\\.0\\.1:\\d+/search\\?q=golang"), lines.get(0));
        assertEquals(15, lines.size(), String.join("\n", lines));
        assertEquals("First request (a cold JVM: loading and compiling the code costs tens of ms):", lines.get(1));
        checkShape(String.join("\n", lines.subList(2, 8)), "golang");
        assertEquals("Second request (warm):", lines.get(8));
        checkShape(String.join("\n", lines.subList(9, 15)), "golang");
        assertEquals(null, Csp.useDispatcher(null), "main restored the dispatcher it found");
    }
}
