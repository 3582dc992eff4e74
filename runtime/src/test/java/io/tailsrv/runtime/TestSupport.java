package io.tailsrv.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
     * How long to wait for what takes milliseconds when all is well (a log
     * line, a port, a reply): long enough for a 2-core machine busy with
     * other builds, short enough that a failure shows soon.
     */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** The first pause between two checks of an {@link #await}ed condition; it doubles up to the longest. */
    private static final long FIRST_PAUSE_MILLIS = 10;
    /** The longest pause, so that a costly check (thousands of log lines) leaves the CPUs to what it waits for. */
    private static final long LONGEST_PAUSE_MILLIS = 100;

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

    /** Writes {@code content} to {@code dir/name}, replacing what was there; returns the file. */
    static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Appends {@code text} to {@code file}, as a program writing its log does. */
    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Reads one byte: the byte, or -1 once the peer has closed the
     * connection, whether it sent a FIN (the end of the stream) or a reset
     * (a {@link SocketException}). A read timeout is thrown
     * ({@link java.net.SocketTimeoutException}): silence is not a close.
     */
    static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** A check {@link #await} repeats; it may throw, which ends the wait with that failure. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Checks {@code condition} until it holds, and fails saying
     * {@code description} if it does not within {@code timeout}: for what
     * nothing announces (a /proc figure, a console's output, a count of
     * log lines). Where one log line announces the event, wait for that
     * line instead ({@link TailsrvProcess#awaitLog}).
     */
    static void await(String description, Duration timeout, Condition condition) throws Exception {
        await(() -> description, timeout, condition);
    }

    /** The same, with a description made when it fails, to say how far things got. */
    static void await(Supplier<String> description, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (!condition.holds()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + timeout + ": " + description.get());
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
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
     * A new, empty directory under /tmp that every user may enter, removed
     * when this JVM exits: for the files and configuration a tailsrv started
     * as another user is to reach. What is written into it gets its modes
     * from the umask: {@link #openToEveryone} opens it whatever the umask.
     */
    static Path worldReadableDirectory() throws IOException {
        Path dir = Files.createTempDirectory(SHARED_TMP, "tailsrv-it-");
        openToEveryone(dir);
        removeAtExit(dir);
        return dir;
    }

    /**
     * {@code chmod -R go+rX}: everyone may read {@code root} and every file
     * below it, enter every directory, and run what its owner may run.
     */
    static void openToEveryone(Path root) throws IOException {
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
