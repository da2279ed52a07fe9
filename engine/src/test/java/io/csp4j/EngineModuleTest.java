package io.csp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins what the engine's module-info exports, requires and uses (STYLE: one public package). */
class EngineModuleTest {

    @Test
    void theEngineExportsOnlyItsApiPackage() throws Exception {
        Path classes = Path.of(Csp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("io.csp4j.engine", d.name());
        assertEquals(Set.of("io.csp4j"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()), "io.csp4j.internal must stay unexported");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertEquals(Set.of("io.csp4j", "io.csp4j.internal"), d.packages());
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("io.csp4j.spi")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
        // Besides the SPI only JDK modules: jdk.jfr for the flight-recorder events (JfrEvents),
        // java.management for the Processes MBean.
        assertEquals(Set.of("java.base", "io.csp4j.spi", "jdk.jfr", "java.management"), d.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()), "no third-party runtime dependency");
        assertEquals(Set.of("io.csp4j.spi.DispatcherProvider"), d.uses());
        assertTrue(d.provides().isEmpty());
    }
}
