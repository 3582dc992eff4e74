package io.tailsrv.filewatch.internal;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

/**
 * One inotify descriptor, and an eventfd whose only use is to wake the thread
 * blocked in poll(2) for shutdown: closing a descriptor does not wake a
 * thread polling it.
 *
 * <p>Not thread-safe. {@link #await()} and {@link #drain} belong to the
 * inotify thread; every other call is made under the engine's lock.
 */
final class Inotify {

    /** Receives one inotify event; {@code name} is null for events about the watched inode itself. */
    interface Sink {
        void event(int wd, int mask, String name);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Inotify.class);

    private static final int BUFFER_SIZE = 64 * 1024;
    /** struct inotify_event: int wd, u32 mask, u32 cookie, u32 len, then len bytes of name. */
    private static final int EVENT_HEADER = 16;
    /** struct pollfd: int fd, short events, short revents. */
    private static final int POLLFD_SIZE = 8;

    private final int fd;
    private final int wakeFd;
    private static final NativeLong TWO = new NativeLong(2);
    private static final NativeLong BUFFER_SIZE_LONG = new NativeLong(BUFFER_SIZE);

    /**
     * Whether {@link LibC64#read} is there to call. Read here, so that JNA binds
     * it when the descriptor is made, not on the first append after the start.
     */
    private final boolean read64 = LibC64.BOUND;
    private final Memory buffer = new Memory(BUFFER_SIZE);
    private final Memory pollFds = new Memory(2 * POLLFD_SIZE);
    private boolean closed;

    Inotify() throws IOException {
        fd = LibC.inotify_init1(LibC.IN_CLOEXEC | LibC.IN_NONBLOCK);
        if (fd < 0) {
            throw LibC.lastError("inotify_init1");
        }
        wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            IOException failure = LibC.lastError("eventfd");
            LibC.close(fd);
            throw failure;
        }
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setInt(POLLFD_SIZE, wakeFd);
        pollFds.setShort(POLLFD_SIZE + 4, LibC.POLLIN);
    }

    /**
     * Watches the inode {@code path} names; the kernel returns the same
     * descriptor for an inode already watched. {@code name} names the path in
     * errors.
     *
     * @throws ErrnoException if the path cannot be watched (ENOENT...)
     * @throws IOException if the system's limit of watches is reached
     */
    int addWatch(String path, int mask, String name) throws IOException {
        int wd = LibC.inotify_add_watch(fd, LibC.cString(path), mask);
        if (wd < 0) {
            int errno = LibC.errno();
            if (errno == LibC.ENOSPC) {
                throw new IOException("cannot watch " + name
                        + ": the limit of inotify watches is reached (sysctl fs.inotify.max_user_watches)");
            }
            throw LibC.error(errno, name);
        }
        return wd;
    }

    void removeWatch(int wd) {
        // EINVAL: the kernel dropped the watch itself (its inode is gone) and queued IN_IGNORED.
        if (LibC.inotify_rm_watch(fd, wd) != 0) {
            int errno = LibC.errno();
            if (errno != LibC.EINVAL) {
                LOG.warn("{}", LibC.error(errno, "inotify_rm_watch").getMessage());
            }
        }
    }

    /** Blocks until events are pending (true) or {@link #wake()} was called (false). */
    boolean await() throws IOException {
        while (LibC.poll(pollFds, TWO, -1) < 0) {
            if (LibC.errno() != LibC.EINTR) {
                throw LibC.lastError("poll");
            }
        }
        return (pollFds.getShort(POLLFD_SIZE + 6) & LibC.POLLIN) == 0;
    }

    /** Reads the pending events, in order, until the queue is (or was just) empty. */
    void drain(Sink sink) throws IOException {
        while (true) {
            long length = read64 ? LibC64.read(fd, buffer, BUFFER_SIZE)
                    : LibC.read(fd, buffer, BUFFER_SIZE_LONG).longValue();
            if (length < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EAGAIN) {
                    return;
                }
                if (errno != LibC.EINTR) {
                    throw LibC.error(errno, "read inotify events");
                }
                continue;
            }
            for (long at = 0; at < length; ) {
                int nameLength = buffer.getInt(at + 12);
                String name = nameLength == 0 ? null : buffer.getString(at + EVENT_HEADER, LibC.FILE_NAMES.name());
                sink.event(buffer.getInt(at), buffer.getInt(at + 4), name);
                at += EVENT_HEADER + nameLength;
            }
            if (length < BUFFER_SIZE / 2) {
                // Room to spare: the queue was empty. Not reading again to see EAGAIN saves a
                // system call per append; poll(2) reports anything queued since.
                return;
            }
        }
    }

    /** Makes the thread blocked in {@link #await()} return false. */
    void wake() {
        if (closed) {
            return;
        }
        Memory one = new Memory(Long.BYTES);
        one.setLong(0, 1);
        if (LibC.write(wakeFd, one, new NativeLong(Long.BYTES)).longValue() != Long.BYTES) {
            LOG.warn("{}", LibC.lastError("write eventfd").getMessage());
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            LibC.close(wakeFd);
            LibC.close(fd);
        }
    }
}
