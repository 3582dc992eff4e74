package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * Every bundle is also a named Java module, and a plain Java application can
 * use the api and protocol jars from the module path, without OSGi.
 */
class ModulePathIT {

    private static final Path BUNDLES = TailsrvProcess.HOME.resolve("bundle");
    private static final List<String> OURS = List.of(
            "io.tailsrv.api", "io.tailsrv.protocol", "io.tailsrv.filewatch", "io.tailsrv.sendfile", "io.tailsrv.server",
            "io.tailsrv.systemd", "monitoring/io.tailsrv.metrics");

    @Test
    void everyBundleIsANamedModuleNamedAsTheBundle() throws IOException {
        for (String path : OURS) {
            Path jar = BUNDLES.resolve(path + ".jar");
            String name = path.substring(path.lastIndexOf('/') + 1);
            Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
            assertEquals(1, found.size(), jar.toString());
            ModuleDescriptor descriptor = found.iterator().next().descriptor();
            assertFalse(descriptor.isAutomatic(), name + " has a module-info, not just a jar name");
            assertEquals(name, descriptor.name());
            try (JarFile file = new JarFile(jar.toFile())) {
                assertEquals(name, file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            }
        }
    }

    @Test
    void apiAndProtocolWorkOnThePlainModulePath() throws Exception {
        ModuleFinder finder = ModuleFinder.of(BUNDLES.resolve("io.tailsrv.api.jar"), BUNDLES.resolve("io.tailsrv.protocol.jar"));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolveAndBind(
                finder, ModuleFinder.of(), Set.of("io.tailsrv.api", "io.tailsrv.protocol"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());

        Class<?> protocolType = layer.findLoader("io.tailsrv.api").loadClass("io.tailsrv.api.OffsetProtocol");
        assertEquals("io.tailsrv.api", protocolType.getModule().getName());
        Object protocol = ServiceLoader.load(layer, protocolType).findFirst()
                .orElseThrow(() -> new AssertionError("no OffsetProtocol provider on the module path"));
        assertEquals("io.tailsrv.protocol", protocol.getClass().getModule().getName());

        // Called through the exported interfaces, as a modular application would.
        Class<?> parserType = layer.findLoader("io.tailsrv.api").loadClass("io.tailsrv.api.HeaderParser");
        Object parser = protocolType.getMethod("newParser").invoke(protocol);
        Method feed = parserType.getMethod("feed", ByteBuffer.class);
        Object status = feed.invoke(parser, ByteBuffer.wrap("-42\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("COMPLETE", status.toString());
        assertEquals(-42L, parserType.getMethod("requestedOffset").invoke(parser));
        Method resolve = protocolType.getMethod("resolve", long.class, long.class);
        assertEquals(58L, resolve.invoke(protocol, -42L, 100L));
        assertTrue(layer.findModule("io.tailsrv.protocol").isPresent());
    }
}
