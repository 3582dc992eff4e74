package io.tailsrv.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** A {@code tailsrv-NAME.cfg} file in a directory Felix FileInstall watches. */
final class CfgFile {

    private CfgFile() {
    }

    static String fileName(String name) {
        return Configurations.FACTORY_PID + "-" + name + ".cfg";
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
        Path temporary = Files.createTempFile(dir, "." + fileName(name) + ".", ".tmp");
        try {
            Files.writeString(temporary, text(properties), StandardCharsets.ISO_8859_1);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
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
