package io.csp4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup on the module path: the SPI module and a provider module (compiled here, declaring its
 * provider only with {@code provides}) are loaded as named modules in a fresh {@link ModuleLayer},
 * and the SPI's own {@code Dispatchers} finds the provider through the module graph.
 */
class ModulePathLookupTest {

    @TempDir
    static Path dir;

    private static ModuleLayer layer;

    @BeforeAll
    static void buildLayer() throws IOException {
        Path spiClasses = Path.of(Dispatchers.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        assertTrue(Files.exists(spiClasses.resolve("module-info.class")), "SPI module-info.class in " + spiClasses);

        Path src = dir.resolve("src/test.provider");
        Path pkg = src.resolve("com/example/layered");
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"), """
                module test.provider {
                    requires io.csp4j.spi;
                    provides io.csp4j.spi.DispatcherProvider with com.example.layered.LayeredProvider;
                }
                """);
        Files.writeString(pkg.resolve("LayeredProvider.java"), """
                package com.example.layered;
                import io.csp4j.spi.*;
                public final class LayeredProvider implements DispatcherProvider {
                    public String name() { return "layered"; }
                    public int priority() { return 7; }
                    public Dispatcher create() { throw new UnsupportedOperationException(); }
                }
                """);
        Path out = dir.resolve("out/test.provider");
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        int rc = javac.run(System.out, System.err, "--module-path", spiClasses.toString(), "-d", out.toString(),
                src.resolve("module-info.java").toString(), pkg.resolve("LayeredProvider.java").toString());
        assertEquals(0, rc, "javac of the test provider module");

        ModuleFinder finder = ModuleFinder.of(spiClasses, out);
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("io.csp4j.spi"));
        layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader().getParent());
    }

    @Test
    void spiIsANamedModuleThatExportsOnlyItsApiPackage() {
        Module spi = layer.findModule("io.csp4j.spi").orElseThrow();
        assertTrue(spi.isNamed());
        assertEquals(Set.of("io.csp4j.spi"), spi.getDescriptor().exports().stream()
                .map(e -> e.source()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of("io.csp4j.spi.DispatcherProvider"), spi.getDescriptor().uses());
    }

    @Test
    void providerDeclaredWithProvidesIsFoundOnTheModulePath() throws Exception {
        Object provider = invokeLookup("findProvider");
        assertEquals("com.example.layered.LayeredProvider", provider.getClass().getName());
        assertEquals("test.provider", provider.getClass().getModule().getName());
        List<?> all = (List<?>) invokeLookup("providers");
        assertEquals(1, all.size());
    }

    private static Object invokeLookup(String method) throws Exception {
        Class<?> lookup = layer.findLoader("io.csp4j.spi").loadClass("io.csp4j.spi.Dispatchers");
        assertTrue(lookup.getModule().isNamed());
        Method m = lookup.getMethod(method);
        try {
            return m.invoke(null);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }
}
