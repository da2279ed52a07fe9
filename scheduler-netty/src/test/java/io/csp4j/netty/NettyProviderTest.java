package io.csp4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.csp4j.spi.Dispatcher;
import io.csp4j.spi.DispatcherProvider;
import io.csp4j.spi.Dispatchers;
import io.netty.util.concurrent.EventExecutor;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Discovery: the provider is found by {@code ServiceLoader} on the class path (META-INF/services)
 * and on the module path ({@code provides}), with priority 10; with only this jar and the SPI present
 * it is the one selected. Also pins what the module exports and requires.
 */
class NettyProviderTest {

    @Test
    void serviceLoaderFindsTheProviderWithPriorityTen() {
        DispatcherProvider p = ServiceLoader.load(DispatcherProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("netty")).findFirst().orElseThrow();
        assertInstanceOf(NettyDispatcherProvider.class, p);
        assertEquals(10, p.priority());
        try (Dispatcher created = p.create()) {
            NettyDispatcher d = assertInstanceOf(NettyDispatcher.class, created);
            assertEquals("netty", d.name());
            assertTrue(d.ownsGroup());
        }
    }

    @Test
    void withOnlyThisBackendOnTheClassPathNettyIsSelectedWithoutAProperty() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.csp4j.forkjoin.ForkJoinDispatcherProvider"));
        String before = System.clearProperty(Dispatchers.PROPERTY);
        try {
            assertEquals(List.of("netty"), Dispatchers.providers().stream().map(DispatcherProvider::name).toList());
            assertInstanceOf(NettyDispatcherProvider.class, Dispatchers.findProvider());
        } finally {
            if (before != null) System.setProperty(Dispatchers.PROPERTY, before);
        }
    }

    @Test
    void propertySelectsNettyByNameAndByClassName() {
        for (String name : List.of("netty", "NETTY", NettyDispatcherProvider.class.getName())) {
            System.setProperty(Dispatchers.PROPERTY, name);
            try {
                assertInstanceOf(NettyDispatcherProvider.class, Dispatchers.findProvider(), name);
            } finally {
                System.clearProperty(Dispatchers.PROPERTY);
            }
        }
    }

    @Test
    void moduleExportsOnlyItsPackageAndProvidesTheProvider() {
        ModuleDescriptor m = ModuleFinder.of(location(NettyDispatcher.class)).find("io.csp4j.netty")
                .orElseThrow().descriptor();
        assertEquals(Set.of("io.csp4j.netty"),
                m.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(1, m.provides().size());
        ModuleDescriptor.Provides provides = m.provides().iterator().next();
        assertEquals(DispatcherProvider.class.getName(), provides.service());
        assertEquals(List.of(NettyDispatcherProvider.class.getName()), provides.providers());
        Set<String> transitive = m.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("io.csp4j.spi", "io.csp4j.engine", "io.netty.common"), transitive);
        assertEquals(Set.of("java.base", "io.csp4j.spi", "io.csp4j.engine", "io.netty.common"),
                m.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    @Test
    void onTheModulePathTheProviderIsFoundAndItsDispatcherRuns() throws Exception {
        // A fresh layer of four named modules: this one, the SPI, the engine and netty-common (its own
        // module-info).
        ModuleFinder finder = ModuleFinder.of(location(NettyDispatcher.class), location(Dispatchers.class),
                location(io.csp4j.Csp.class), location(EventExecutor.class));
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("io.csp4j.netty"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertEquals("io.netty.common", layer.findModule("io.netty.common").orElseThrow().getName());

        Class<?> lookup = layer.findLoader("io.csp4j.spi").loadClass(Dispatchers.class.getName());
        Object provider = lookup.getMethod("findProvider").invoke(null);
        assertEquals(NettyDispatcherProvider.class.getName(), provider.getClass().getName());
        assertEquals("io.csp4j.netty", provider.getClass().getModule().getName());

        Method create = provider.getClass().getMethod("create");
        AutoCloseable dispatcher = (AutoCloseable) create.invoke(provider);
        try {
            Method lane = dispatcher.getClass().getMethod("lane");
            Executor executor = (Executor) lane.invoke(dispatcher);
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            executor.execute(ran::countDown);
            assertTrue(ran.await(5, TimeUnit.SECONDS));
        } finally {
            dispatcher.close();
        }
    }

    private static Path location(Class<?> type) {
        try {
            Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.exists(p), p.toString());
            return p;
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
