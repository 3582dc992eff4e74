package io.tailsrv.relay.internal;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.RelayConfigException;

/**
 * A relay's file, which it alone writes: opened (created if missing) and
 * locked for the relay's life. It only grows, at its end, by whole chunks
 * as they were received, each in one write call, so that whatever stops
 * the process leaves a prefix of the upstream's stream.
 *
 * <p>The lock is {@link FileChannel#tryLock()}, which on Linux is the
 * kernel's record lock ({@code fcntl F_SETLK}): another process that locks
 * the file, a relay or not, is refused, and so is this one while another
 * process holds it. That lock belongs to the process, and the kernel drops
 * it when <em>any</em> descriptor of the file in this JVM is closed. So a
 * second relay of this JVM is refused before it opens the file (by
 * {@link #HELD}, keyed by device and inode): had it opened the file, closing
 * it would have dropped the first relay's lock. tailsrv's own watch of the
 * file closes its descriptor when the instance stops, with the relay.
 *
 * <p>Loop thread only, but for {@link #open}.
 */
final class RelayFile implements AutoCloseable {

    /** The files (their {@code fileKey}s) a relay of this JVM holds. */
    private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;
    private long size;
    private boolean unsynced;
    private volatile long syncs;

    private RelayFile(Path path, Object key, FileChannel channel, FileLock lock) throws IOException {
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.size = channel.size();
    }

    /**
     * Opens and locks {@code path}, creating it if missing.
     *
     * @throws RelayConfigException naming {@value InstanceConfig#FILE}: another writer holds it,
     *         its directory is missing, it is a directory, it cannot be written
     */
    static RelayFile open(Path path) throws RelayConfigException {
        Object key = keyOf(path);
        if (!HELD.add(key)) {
            throw new RelayConfigException(InstanceConfig.FILE,
                    path + " is written by another relay in this process: only one relay may write a file");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, READ, WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new RelayConfigException(InstanceConfig.FILE,
                        path + " is locked by another process: only one relay may write a file");
            }
            return new RelayFile(path, key, channel, lock);
        } catch (RelayConfigException e) {
            release(key, channel);
            throw e;
        } catch (AccessDeniedException e) {
            release(key, channel);
            throw new RelayConfigException(InstanceConfig.FILE, "cannot write " + path + ": permission denied");
        } catch (IOException | OverlappingFileLockException e) {
            // Overlapping: a lock some other code of this JVM took, not a relay.
            release(key, channel);
            throw new RelayConfigException(InstanceConfig.FILE, "cannot lock " + path + ": " + e);
        }
    }

    /** Creates the file if missing (no lock can be held on a file that did not exist), and names its inode. */
    private static Object keyOf(Path path) throws RelayConfigException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(path)) {
                throw new RelayConfigException(InstanceConfig.FILE, path + " is a directory");
            }
        } catch (NoSuchFileException e) {
            throw new RelayConfigException(InstanceConfig.FILE, "cannot create " + path + ": its directory "
                    + path.toAbsolutePath().getParent() + " does not exist");
        } catch (AccessDeniedException e) {
            throw new RelayConfigException(InstanceConfig.FILE, "cannot create " + path + ": permission denied");
        } catch (IOException e) {
            throw new RelayConfigException(InstanceConfig.FILE, "cannot create " + path + ": " + e);
        }
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw new RelayConfigException(InstanceConfig.FILE, "cannot read " + path + "'s attributes: " + e);
        }
    }

    Path path() {
        return path;
    }

    /** The length the file has now; what it holds of the stream. */
    long size() {
        return size;
    }

    /** Reads the file's length again, as a resume starts from what is there (the file may have been truncated). */
    long refreshSize() throws IOException {
        size = channel.size();
        return size;
    }

    /** Fills {@code destination} with the file's bytes from {@code offset}. */
    void read(long offset, ByteBuffer destination) throws IOException {
        long position = offset;
        while (destination.hasRemaining()) {
            int read = channel.read(destination, position);
            if (read < 0) {
                throw new IOException(path + " ended at " + position + " while reading it back");
            }
            position += read;
        }
    }

    /** Appends the whole of {@code chunk} at the end: one write, unless the kernel takes less. */
    void append(ByteBuffer chunk) throws IOException {
        while (chunk.hasRemaining()) {
            size += channel.write(chunk, size);
        }
        unsynced = true;
    }

    /** Whether bytes were appended since the last {@link #sync}. */
    boolean unsynced() {
        return unsynced;
    }

    /** {@code fdatasync(2)}: the bytes appended so far, and the length that covers them, reach the disk. */
    void sync() throws IOException {
        channel.force(false);
        unsynced = false;
        syncs++;
    }

    /** How many times {@link #sync} ran: what the tests of the fsync policy count. */
    long syncs() {
        return syncs;
    }

    /** Releases the lock and closes the file, as it stands. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(key);
        }
    }

    private static void release(Object key, FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // It held no lock: nothing is lost.
            }
        }
        HELD.remove(key);
    }
}
