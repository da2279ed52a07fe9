package io.csp4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins what csp4j-cluster's module-info exports and requires: one package, engine and vertx-core only. */
class ClusterModuleTest {

    @Test
    void theClusterModuleExportsOnePackageAndNeedsOnlyTheEngineAndVertxCore() throws Exception {
        Path classes = Path.of(RemoteChannels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("io.csp4j.cluster", d.name());
        assertEquals(Set.of("io.csp4j.cluster"), d.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()));
        assertEquals(Set.of("java.base", "io.csp4j.engine", "io.vertx.core"), d.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()), "no cluster manager at run time");
        assertEquals(Set.of("io.csp4j.cluster"), d.packages());
    }
}
