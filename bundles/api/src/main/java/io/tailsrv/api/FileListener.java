package io.tailsrv.api;

import java.nio.channels.FileChannel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a {@link FileWatch} reports about one watched path. Calls for one
 * watch never overlap and come in the order the events happened.
 */
@ConsumerType
public interface FileListener {

    /**
     * The path exists and has been opened for reading. The watch follows this
     * file from now on. The channel belongs to the watch: it is closed when
     * the watch is closed, so do not close it yourself.
     *
     * @param file the file, open for reading
     * @param size its size when it was opened
     */
    void opened(FileChannel file, long size);

    /** The file grew to {@code size} bytes. */
    void grew(long size);

    /** The file shrank to {@code size} bytes (truncated, perhaps to 0). */
    void truncated(long size);

    /**
     * The file's path no longer names it: it was deleted (its last link
     * removed) or moved. The open file can still be read, and growth of it
     * is still reported.
     */
    void gone(FileGone how);

    /**
     * The path exists but cannot be served: it is a directory, or not
     * readable. {@code reason} is a short, human-readable explanation.
     */
    void failed(String reason);

    /**
     * The reports of one read of the kernel's queue are all made: called
     * after them, on the watch's thread, once for each listener that had
     * one. A listener that hands work to other threads can hand over what
     * many files asked for at once, rather than file by file. Does nothing
     * by default.
     */
    default void reportsDone() {
    }
}
