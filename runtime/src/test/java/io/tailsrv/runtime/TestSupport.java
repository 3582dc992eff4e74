package io.tailsrv.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What this module's integration tests share beside the client
 * ({@link Client}) and the process ({@link TailsrvProcess}).
 *
 * <p>It uses no JUnit: the Pax Exam tests run it inside the framework, where
 * only JUnit 4 is, and the process tests outside it with JUnit 5.
 */
final class TestSupport {

    /**
     * Where directories every user can enter are made: /tmp, not
     * {@code java.io.tmpdir}, which may be set to a place as private as the
     * checkout.
     */
    private static final Path SHARED_TMP = Path.of("/tmp");

    /** What this JVM made under /tmp, removed when it exits. */
    private static final List<Path> MADE = new ArrayList<>(); // guarded by MADE

    private TestSupport() {
    }

    /** Whether this JVM runs with effective uid 0: what starting a process as another user, or a mount, needs. */
    static boolean isRoot() throws IOException {
        return ProcFs.uids(ProcessHandle.current().pid()).split("\\s+")[1].equals("0");
    }

    /**
     * The assembled distribution ({@link TailsrvProcess#HOME}), copied once
     * per JVM into a directory under /tmp that every user may read, for a
     * tailsrv started as another user: the build's own copy lies in the
     * checkout, which may be where only its owner can enter (a clone under
     * /root, or in a {@code mktemp -d} directory).
     */
    static Path worldReadableHome() {
        return WorldReadableHome.PATH;
    }

    /**
     * A new, empty directory under /tmp that every user may enter and read,
     * removed when this JVM exits: for the files and configuration a tailsrv
     * started as another user is to reach. Files written into it keep the
     * creator's umask (usually 644); a test that wants one unreadable says so.
     */
    static Path worldReadableDirectory() throws IOException {
        Path dir = Files.createTempDirectory(SHARED_TMP, "tailsrv-it-");
        openToEveryone(dir);
        removeAtExit(dir);
        return dir;
    }

    /** The copy of the distribution, made at first use. */
    private static final class WorldReadableHome {
        static final Path PATH = copy();

        private static Path copy() {
            try {
                Path copy = Files.createTempDirectory(SHARED_TMP, "tailsrv-home-");
                removeAtExit(copy);
                Path home = TailsrvProcess.HOME.toAbsolutePath();
                try (Stream<Path> files = Files.walk(home)) {
                    for (Path source : (Iterable<Path>) files::iterator) {
                        Path target = copy.resolve(home.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES); // keeps bin/'s x bits
                        }
                    }
                }
                openToEveryone(copy);
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + TailsrvProcess.HOME + " to /tmp", e);
            }
        }
    }

    /**
     * {@code chmod -R go+rX}: everyone may read every file and enter every
     * directory below {@code root}, and run what its owner may run.
     */
    private static void openToEveryone(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                permissions.add(PosixFilePermission.GROUP_READ);
                permissions.add(PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(path) || permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    permissions.add(PosixFilePermission.GROUP_EXECUTE);
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(path, permissions);
            }
        }
    }

    private static void removeAtExit(Path dir) {
        synchronized (MADE) {
            if (MADE.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(TestSupport::removeMade, "remove-test-directories"));
            }
            MADE.add(dir);
        }
    }

    private static void removeMade() {
        synchronized (MADE) {
            for (Path dir : MADE) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                } catch (IOException | UncheckedIOException e) {
                    System.err.println("cannot remove " + dir + ": " + e);
                }
            }
        }
    }
}
