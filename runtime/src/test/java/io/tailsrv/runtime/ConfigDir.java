package io.tailsrv.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.tailsrv.api.InstanceConfig;

/** A host-mode configuration directory, changed the way an operator (or a deploy tool) changes it. */
final class ConfigDir {

    final Path dir;

    ConfigDir(Path dir) {
        this.dir = dir;
    }

    /** A new configuration directory, {@code conf} in {@code parent}. */
    static ConfigDir under(Path parent) throws IOException {
        return new ConfigDir(Files.createDirectories(parent.resolve("conf")));
    }

    /** Writes {@code tailsrv-NAME.cfg} whole, in one step (written aside, then renamed into place). */
    Path write(String name, String... lines) throws IOException {
        Path target = file(name);
        Path aside = dir.resolve("." + InstanceConfig.FACTORY_PID + "-" + name + ".tmp");
        Files.writeString(aside, String.join("\n", lines) + "\n");
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    Path serve(String name, Path file, int port, String... more) throws IOException {
        String[] lines = new String[more.length + 2];
        lines[0] = InstanceConfig.FILE + " = " + file;
        lines[1] = InstanceConfig.PORT + " = " + port;
        System.arraycopy(more, 0, lines, 2, more.length);
        return write(name, lines);
    }

    void remove(String name) throws IOException {
        Files.delete(file(name));
    }

    /** The file FileInstall reads as the factory configuration {@code name}: FACTORY_PID-NAME.cfg. */
    Path file(String name) {
        return dir.resolve(InstanceConfig.FACTORY_PID + "-" + name + ".cfg");
    }
}
