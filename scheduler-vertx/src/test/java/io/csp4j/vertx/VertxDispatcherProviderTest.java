package io.csp4j.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;
import io.csp4j.spi.Dispatchers;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Discovery (ServiceLoader, -Dcsp4j.dispatcher), the module descriptor, and bad input. */
class VertxDispatcherProviderTest {

    @Test
    void serviceLoaderFindsTheProviderWithPriorityTwenty() {
        DispatcherProvider p = Dispatchers.providers().stream()
                .filter(x -> x.name().equals("vertx")).findFirst().orElseThrow();
        assertInstanceOf(VertxDispatcherProvider.class, p);
        assertEquals(20, p.priority());
        try (Dispatcher created = p.create()) {
            VertxDispatcher vd = assertInstanceOf(VertxDispatcher.class, created);
            assertEquals("vertx", created.name());
            assertTrue(vd.ownsVertx());
        }
    }

    @Test
    void withOnlyThisJarAndTheSpiTheLookupPicksVertxWithNoPropertySet() {
        // This module's test class path has the SPI and this backend, no ForkJoin jar.
        assertEquals(List.of("vertx"), Dispatchers.providers().stream().map(DispatcherProvider::name).toList());
        String before = System.clearProperty(Dispatchers.PROPERTY);
        try {
            assertInstanceOf(VertxDispatcherProvider.class, Dispatchers.findProvider());
            System.setProperty(Dispatchers.PROPERTY, "vertx");
            assertInstanceOf(VertxDispatcherProvider.class, Dispatchers.findProvider());
            System.setProperty(Dispatchers.PROPERTY, VertxDispatcherProvider.class.getName());
            assertInstanceOf(VertxDispatcherProvider.class, Dispatchers.findProvider());
        } finally {
            if (before == null) System.clearProperty(Dispatchers.PROPERTY);
            else System.setProperty(Dispatchers.PROPERTY, before);
        }
    }

    @Test
    void moduleExportsOnlyItsApiPackageAndProvidesTheProvider() throws Exception {
        Path classes = Path.of(VertxDispatcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor md;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            md = ModuleDescriptor.read(in);
        }
        assertEquals("io.csp4j.vertx", md.name());
        assertEquals(Set.of("io.csp4j.vertx"), md.exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(1, md.provides().size());
        ModuleDescriptor.Provides provides = md.provides().iterator().next();
        assertEquals(DispatcherProvider.class.getName(), provides.service());
        assertEquals(List.of(VertxDispatcherProvider.class.getName()), provides.providers());
        Set<String> transitive = md.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("io.csp4j.spi", "io.csp4j.engine", "io.vertx.core"), transitive);
        // Declared in META-INF/services as well, for the class path.
        try (InputStream in = VertxDispatcher.class.getResourceAsStream(
                "/META-INF/services/" + DispatcherProvider.class.getName())) {
            assertEquals(VertxDispatcherProvider.class.getName(), new String(in.readAllBytes()).strip());
        }
    }

    @Test
    void nullsAreRejectedWithTheArgumentsName() {
        try (VertxDispatcher d = VertxDispatcher.create()) {
            assertEquals("task", assertThrows(NullPointerException.class, () -> d.execute(null)).getMessage());
            assertEquals("delay", assertThrows(NullPointerException.class, () -> d.schedule(null, () -> {})).getMessage());
            assertEquals("task", assertThrows(NullPointerException.class,
                    () -> d.schedule(Duration.ZERO, null)).getMessage());
            assertEquals("task", assertThrows(NullPointerException.class, () -> d.lane().execute(null)).getMessage());
        }
        assertEquals("vertx", assertThrows(NullPointerException.class, () -> VertxDispatcher.over(null)).getMessage());
        assertEquals("options", assertThrows(NullPointerException.class, () -> VertxDispatcher.create(null)).getMessage());
    }

    @Test
    void aVertxThatIsNotVertxFiveInternalsIsRejectedWithTheReason() {
        Vertx fake = (Vertx) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Vertx.class},
                (proxy, method, args) -> { throw new UnsupportedOperationException(method.getName()); });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VertxDispatcher.over(fake));
        assertTrue(e.getMessage().contains("io.vertx.core.internal.VertxInternal"), e.getMessage());
    }
}
