package io.csp4j.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 8: virtual mode silently moved go blocks off the event loop on Vert.x. A
 * dispatcher created in virtual mode says so once per JVM, at WARNING, with the option that fixes it.
 */
class VertxVirtualModeWarningTest {

    record Line(System.Logger.Level level, String message) {}

    final List<Line> lines = new CopyOnWriteArrayList<>();
    System.Logger saved;
    ProcessMode savedMode;

    @BeforeEach
    void capture() {
        saved = VertxDispatcher.log;
        savedMode = Csp.processMode();
        VertxDispatcher.VIRTUAL_MODE_WARNED.set(false);
        VertxDispatcher.log = new System.Logger() {
            @Override public String getName() { return "test"; }
            @Override public boolean isLoggable(Level level) { return true; }
            @Override public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                lines.add(new Line(level, msg));
            }
            @Override public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                lines.add(new Line(level, format));
            }
        };
    }

    @AfterEach
    void restore() {
        VertxDispatcher.log = saved;
        Csp.useProcessMode(savedMode);
    }

    @Test
    void virtualModeWarnsOnceWithTheOptionThatFixesIt() {
        Csp.useProcessMode(ProcessMode.VIRTUAL);
        Vertx vertx = Vertx.vertx();
        try {
            VertxDispatcher a = VertxDispatcher.over(vertx);
            VertxDispatcher b = VertxDispatcher.over(vertx);
            a.close();
            b.close();
            assertEquals(1, lines.size(), "once per JVM: " + lines);
            Line l = lines.get(0);
            assertEquals(System.Logger.Level.WARNING, l.level());
            assertEquals("csp4j on Vert.x runs go blocks in virtual mode: they run on virtual threads, not on the"
                    + " event loop of the verticle that starts them, so Vertx.currentContext() is null inside them"
                    + " and Vert.x APIs see no context. To run them on the event loop (loop mode), start the JVM"
                    + " with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED (or the manifest line"
                    + " 'Add-Exports: java.base/jdk.internal.vm' in an executable jar).", l.message());
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void loopModeSaysNothing() {
        Csp.useProcessMode(ProcessMode.LOOP);
        Vertx vertx = Vertx.vertx();
        try {
            VertxDispatcher.over(vertx).close();
            assertTrue(lines.isEmpty(), lines.toString());
        } finally {
            vertx.close().await();
        }
    }
}
