package io.tailsrv.runtime;

import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;

import org.ops4j.pax.exam.Option;

/**
 * For Pax Exam: the packages bin/tailsrv's framework exports from the
 * launcher's class path, SLF4J and JNA, exported here from the test's class
 * path the same way, at the versions found there (SLF4J at 1.7 too, as
 * FelixHost does); and the JDK's HTTP server.
 */
final class LauncherPackages {

    private LauncherPackages() {
    }

    static Option option() throws IOException {
        String slf4j = org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion();
        String jna = bundleVersion(com.sun.jna.Native.class);
        return systemPackages(
                "org.slf4j;version=" + slf4j,
                "org.slf4j.event;version=" + slf4j,
                "org.slf4j.spi;version=" + slf4j,
                "org.slf4j.helpers;version=" + slf4j,
                "org.slf4j;version=1.7.36",
                "org.slf4j.helpers;version=1.7.36",
                "com.sun.net.httpserver",
                "com.sun.jna;version=" + jna,
                "com.sun.jna.ptr;version=" + jna);
    }

    private static String bundleVersion(Class<?> type) throws IOException {
        try (JarFile jar = new JarFile(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
