package io.tailsrv.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the distribution's directories are: {@code bin/tailsrv} passes its home. */
final class Distribution {

    static final String HOME_PROPERTY = "tailsrv.home";

    private Distribution() {
    }

    static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new IllegalStateException(HOME_PROPERTY + " is not set: start tailsrv with bin/tailsrv");
        }
        Path path = Path.of(home);
        if (!Files.isDirectory(path.resolve("bundle"))) {
            throw new IllegalStateException(path + " has no bundle/ directory");
        }
        return path;
    }
}
