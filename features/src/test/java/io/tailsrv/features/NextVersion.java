package io.tailsrv.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A later release of the features repository, made from this build's for
 * the upgrade test: every io.tailsrv bundle with its version raised, and
 * the same features at that version, listing those bundles.
 */
final class NextVersion {

    private NextVersion() {
    }

    /**
     * Writes the bundles and the features repository into {@code dir}.
     *
     * @param repository the Maven-layout repository the build made
     * @param features this build's features repository
     * @return the new features repository's URI
     */
    static URI write(Path dir, Path repository, Path features, String version, String next) throws IOException {
        Pattern ours = Pattern.compile("mvn:io\\.tailsrv/(io\\.tailsrv\\.[a-z]+)/" + Pattern.quote(version));
        Matcher bundles = ours.matcher(Files.readString(features));
        StringBuilder xml = new StringBuilder();
        while (bundles.find()) {
            String artifact = bundles.group(1);
            Path jar = repository.resolve("io/tailsrv/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar");
            Path raised = dir.resolve(artifact + "-" + next + ".jar");
            withVersion(jar, raised, next);
            bundles.appendReplacement(xml, Matcher.quoteReplacement(raised.toUri().toString()));
        }
        bundles.appendTail(xml);
        String text = xml.toString()
                .replace("version=\"" + version + "\"", "version=\"" + next + "\"")
                .replace("name=\"tailsrv-" + version + "\"", "name=\"tailsrv-" + next + "\"");
        return Files.writeString(dir.resolve("tailsrv-features-" + next + ".xml"), text).toUri();
    }

    /** Copies the bundle {@code from} with Bundle-Version {@code next}. */
    private static void withVersion(Path from, Path to, String next) throws IOException {
        try (JarFile jar = new JarFile(from.toFile());
                OutputStream file = Files.newOutputStream(to)) {
            Manifest manifest = new Manifest(jar.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", next);
            try (JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }
}
