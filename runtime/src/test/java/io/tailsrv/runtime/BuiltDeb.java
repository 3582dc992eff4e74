package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The Debian package that mvn package made in target/, beside the distribution. */
record BuiltDeb(Path path, String version) {

    /** Skips the calling test where there is no dpkg-deb to look into it: not a Debian system. */
    static BuiltDeb find() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "no dpkg-deb: not a Debian system");
        try (Stream<Path> files = Files.list(TailsrvProcess.HOME.getParent())) {
            List<Path> found = files.filter(path -> path.getFileName().toString().matches("tailsrv_.*_all\\.deb")).toList();
            assertEquals(1, found.size(), "one package in target/ (mvn package makes it): " + found);
            Path deb = found.get(0);
            return new BuiltDeb(deb, Program.succeed("dpkg-deb", "--field", deb.toString(), "Version").strip());
        }
    }
}
