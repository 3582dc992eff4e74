package io.tailsrv.server.internal.streaming;

import java.nio.channels.FileChannel;

/**
 * One opened file and what is known of its size. Written only by the file
 * watch's thread, read by the I/O threads.
 */
public final class ServedFile {

    final FileChannel channel;
    private volatile long size;
    /** Counts truncations, so that an I/O thread can tell it missed one. */
    private volatile int truncations;

    public ServedFile(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    public long size() {
        return size;
    }

    int truncations() {
        return truncations;
    }

    void grew(long newSize) {
        size = newSize;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the file watch's thread
    void truncated(long newSize) {
        size = newSize;
        truncations++;
    }
}
