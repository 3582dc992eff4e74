package io.tailsrv.server.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size, lent to the connections of one I/O loop for
 * as long as they hold bytes in flight (TLS records being written, a file
 * chunk being encrypted) and taken back as soon as they are empty, so that
 * an idle connection holds none. Touched under the loop's lock only, so it
 * needs none of its own.
 */
public final class BufferPool {

    private final int size;
    private final int kept;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /**
     * @param size each buffer's capacity
     * @param kept free buffers kept for reuse; past this, returned ones are left to the collector
     */
    public BufferPool(int size, int kept) {
        this.size = size;
        this.kept = kept;
    }

    public int size() {
        return size;
    }

    /** An empty buffer (position 0, limit its capacity). */
    public ByteBuffer acquire() {
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(size);
    }

    /** Takes {@code buffer} back; the caller must not touch it again. Null is ignored. */
    public void release(ByteBuffer buffer) {
        if (buffer != null && buffer.capacity() == size && free.size() < kept) {
            free.addFirst(buffer);
        }
    }
}
