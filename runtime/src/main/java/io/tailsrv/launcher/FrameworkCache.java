package io.tailsrv.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The framework's storage directory for one run: {@code tailsrv-felix-*}
 * under a base directory (system property {@value #BASE_PROPERTY}, else the
 * JVM's temporary directory).
 *
 * <p>A run holds an exclusive lock on the directory's {@value #LOCK} file
 * for as long as it lives. The kernel lets go of that lock when the process
 * ends, however it ends (kill -9, an OOM kill), so a directory whose lock can
 * be taken belongs to no live process: each start removes those it finds.
 * A live run's directory is never touched, and a process id that the system
 * has reused since cannot fool the check, as no process id is involved.
 */
final class FrameworkCache implements AutoCloseable {

    /** System property: where the caches go (the Debian package's unit points it at /var/cache/tailsrv). */
    static final String BASE_PROPERTY = "tailsrv.cache.dir";
    static final String PREFIX = "tailsrv-felix-";
    static final String LOCK = ".owner.lock";
    /** A directory with no lock file is one being made; past this age, its maker died making it. */
    private static final long UNLOCKED_GRACE_MILLIS = 60_000;
    /**
     * This JVM's own caches. Never probed: closing any descriptor of a
     * locked file releases the process's lock on it (POSIX record locks).
     */
    private static final Set<Path> OWN = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;

    private FrameworkCache(Path directory, FileChannel lockFile, FileLock lock) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The base directory this JVM uses. */
    static Path base() {
        String configured = System.getProperty(BASE_PROPERTY);
        return Path.of(configured != null && !configured.isBlank() ? configured : System.getProperty("java.io.tmpdir"));
    }

    /** Makes and locks this run's cache, then removes those of runs that are gone. */
    static FrameworkCache create(Path base) throws IOException {
        Files.createDirectories(base);
        Path directory = Files.createTempDirectory(base, PREFIX);
        OWN.add(directory);
        FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        FrameworkCache cache = new FrameworkCache(directory, channel, channel.lock());
        for (Path abandoned : abandoned(base, owner(directory))) {
            deleteRecursively(abandoned);
        }
        return cache;
    }

    /**
     * Where the framework keeps its state: a directory of its own beside the
     * lock file, as the framework empties its storage when it starts.
     */
    Path storage() {
        return directory.resolve("framework");
    }

    /** Lets go of the directory and removes it. */
    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        deleteRecursively(directory);
        OWN.remove(directory);
    }

    /**
     * The caches in {@code base} that no live process holds. One that cannot
     * be opened (another user's) or whose lock is held is left alone, as is
     * a recent one without a lock file: it is being made. Only directories
     * of user {@code uid} are considered: in a shared directory such as /tmp,
     * another user's are none of this run's business.
     */
    static List<Path> abandoned(Path base, int uid) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path cache : caches) {
                if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS) || OWN.contains(cache)
                        || owner(cache) != uid) {
                    continue;
                }
                boolean abandoned = Files.isRegularFile(cache.resolve(LOCK), LinkOption.NOFOLLOW_LINKS)
                        ? !isHeld(cache)
                        : olderThan(cache, UNLOCKED_GRACE_MILLIS);
                if (abandoned) {
                    out.add(cache);
                }
            }
        }
        return out;
    }

    private static boolean olderThan(Path path, long millis) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis()
                    < System.currentTimeMillis() - millis;
        } catch (IOException e) {
            return false;
        }
    }

    private static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isHeld(Path cache) {
        try (FileChannel channel = FileChannel.open(cache.resolve(LOCK), StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (IOException | OverlappingFileLockException e) {
            return true; // cannot tell: leave it
        }
    }

    /**
     * Deletes {@code dir} and what it holds. Another start may be removing
     * the same abandoned cache at the same moment: whatever is already gone
     * is no concern.
     */
    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // vanished meanwhile, or what is left is removed by the next start
        }
    }
}
