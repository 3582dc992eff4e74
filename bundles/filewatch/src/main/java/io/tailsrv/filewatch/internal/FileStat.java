package io.tailsrv.filewatch.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the watch needs to know about an open file, read with statx(2) on its
 * descriptor. statx rather than fstat because struct statx has the same
 * layout on every architecture, while struct stat does not.
 */
record FileStat(int mode, int nlink, long size) {

    private static final byte[] EMPTY_PATH = {0};
    private static final int STATX_BUFFER = 256;
    private static final int NLINK_OFFSET = 16;
    private static final int MODE_OFFSET = 28;
    private static final int SIZE_OFFSET = 40;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /**
     * Stats the file open as {@code fd}; {@code what} names it in the error.
     * {@code into} is the caller's reused buffer ({@link #buffer()}): this
     * runs for every append, and allocates only the result.
     */
    static FileStat of(int fd, String what, ByteBuffer into) throws ErrnoException {
        int mask = LibC.STATX_TYPE | LibC.STATX_NLINK | LibC.STATX_SIZE;
        if (LibC.statx(fd, EMPTY_PATH, LibC.AT_EMPTY_PATH, mask, into.array()) != 0) {
            throw LibC.lastError(what);
        }
        return new FileStat(into.getShort(MODE_OFFSET) & 0xffff, into.getInt(NLINK_OFFSET), into.getLong(SIZE_OFFSET));
    }

    /** A buffer for {@link #of}, to be reused by one thread at a time. */
    static ByteBuffer buffer() {
        return ByteBuffer.wrap(new byte[STATX_BUFFER]).order(ByteOrder.nativeOrder());
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** What a file that is not regular is, for a failure reason: "a directory". */
    String kind() {
        return switch (mode & S_IFMT) {
            case S_IFDIR -> "a directory";
            case S_IFIFO -> "a named pipe (FIFO)";
            case S_IFSOCK -> "a socket";
            case S_IFCHR -> "a character device";
            case S_IFBLK -> "a block device";
            default -> "not a regular file";
        };
    }
}
