package io.tailsrv.filewatch.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watched file: a raw descriptor, used for statx(2) and to name the inode
 * to inotify, and the FileChannel handed to the listener. Both the channel
 * and the inotify watch are opened through /proc/self/fd/N rather than
 * through the path, so that all three refer to the inode opened first even
 * if the path is replaced meanwhile.
 */
final class OpenFile {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFile.class);

    private final int fd;
    private final String name;
    private FileChannel channel;

    private OpenFile(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Opens {@code path} for reading.
     *
     * @throws ErrnoException if it cannot be opened; ENOENT if it does not exist
     */
    static OpenFile open(Path path) throws ErrnoException {
        String name = path.toString();
        // O_NONBLOCK: opening a FIFO for reading would block until a writer came.
        // O_NOCTTY: opening a terminal must not make it ours.
        int fd = LibC.open(LibC.cString(name), LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOCTTY);
        if (fd < 0) {
            throw LibC.lastError(name);
        }
        return new OpenFile(fd, name);
    }

    /** The magic link to the open inode: open(2) and inotify_add_watch(2) follow it to that inode. */
    String procPath() {
        return "/proc/self/fd/" + fd;
    }

    /** Stats it, through {@code buffer} ({@link FileStat#buffer}), which the caller owns. */
    FileStat stat(java.nio.ByteBuffer buffer) throws ErrnoException {
        return FileStat.of(fd, name, buffer);
    }

    /** The channel for the listener, opened on first use. */
    FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(Path.of(procPath()), StandardOpenOption.READ);
        }
        return channel;
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Cannot close {}: {}", name, e.getMessage());
            }
        }
        LibC.close(fd);
    }
}
