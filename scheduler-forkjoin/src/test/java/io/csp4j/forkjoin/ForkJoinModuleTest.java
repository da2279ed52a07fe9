package io.csp4j.forkjoin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the backend's module-info (exports, provides) and its META-INF/services entry. */
class ForkJoinModuleTest {

    @Test
    void theModuleExportsItsPackageAndProvidesTheProviderBothWays() throws Exception {
        Path classes = Path.of(ForkJoinDispatcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("io.csp4j.forkjoin", d.name());
        assertEquals(Set.of("io.csp4j.forkjoin"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("io.csp4j.spi.DispatcherProvider", p.service());
        assertEquals(List.of(ForkJoinDispatcherProvider.class.getName()), p.providers());
        Path services = classes.resolve("META-INF/services/io.csp4j.spi.DispatcherProvider");
        assertEquals(List.of(ForkJoinDispatcherProvider.class.getName()),
                Files.readAllLines(services).stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
