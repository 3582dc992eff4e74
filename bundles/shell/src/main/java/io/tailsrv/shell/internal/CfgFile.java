package io.tailsrv.shell.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.cm.Configuration;

import io.tailsrv.api.InstanceConfig;

/** A {@code tailsrv-NAME.cfg} file in a directory Felix FileInstall watches. */
final class CfgFile {

    private CfgFile() {
    }

    /** Set by FileInstall on the configurations it made from a file: that file's URI. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    /** The file a configuration came from, if FileInstall made it from one that still exists. */
    static Optional<Path> of(Configuration config) {
        Dictionary<String, Object> properties = config.getProperties();
        Object uri = properties == null ? null : properties.get(FILEINSTALL_FILENAME);
        if (uri == null) {
            return Optional.empty();
        }
        Path file = Path.of(URI.create(uri.toString()));
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Sets {@code key} in the file, keeping its other lines and comments, and
     * replaces the file in one step. FileInstall reads the change and updates
     * the configuration, so the file stays the one source of truth (the
     * framework's Config Admin never writes it: see the launcher's HostMode).
     */
    static void set(Path file, String key, String value) throws IOException {
        Pattern setting = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
        String line = key + " = " + escape(value);
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            if (setting.matcher(lines.get(i)).matches()) {
                at = i;
            }
        }
        if (at >= 0) {
            lines.set(at, line);
        } else {
            lines.add(line);
        }
        replace(file, String.join("\n", lines) + "\n");
    }

    static String fileName(String name) {
        return InstanceConfig.FACTORY_PID + "-" + name + ".cfg";
    }

    /**
     * Writes the file whole or not at all: FileInstall would act on a
     * half-written one. The text goes to a temporary file that FileInstall
     * ignores (its name does not end in .cfg), which is then renamed.
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    static Path write(Path dir, String name, Map<String, ?> properties) throws IOException {
        Path target = dir.resolve(fileName(name));
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        replace(target, text(properties));
        return target;
    }

    /** Writes {@code text} aside, in a file FileInstall ignores (not ending in .cfg), then renames it over {@code target}. */
    private static void replace(Path target, String text) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.ISO_8859_1);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** {@code key = value} lines, in the map's order. */
    static String text(Map<String, ?> properties) {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append(" = ").append(escape(String.valueOf(value))).append('\n'));
        return text.toString();
    }

    /**
     * Escapes what a properties file would read otherwise: backslashes,
     * leading blanks (dropped), and characters outside printable ASCII (the
     * file's encoding is Latin-1).
     */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == ' ' && out.length() == 0) {
                out.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
