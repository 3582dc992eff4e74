package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import io.tailsrv.server.internal.connection.Transport;
import io.tailsrv.server.internal.loop.BufferPool;

/**
 * File bytes to a TLS client: read four records' worth from the page cache
 * into a pooled buffer, encrypt, write them at once; as long as the socket
 * takes them. The buffer goes back to the pool as soon as the chunk is
 * sealed, and the transport holds the records only until they are written,
 * so a caught-up client holds nothing.
 */
final class TlsFileSender implements FileSender {

    /** The most a TLS record carries. */
    static final int RECORD_DATA = 16 * 1024;
    /** File bytes read at once: as many records as the transport writes at once. */
    static final int CHUNK = 4 * RECORD_DATA;

    private final Transport transport;
    private final BufferPool pool;

    TlsFileSender(Transport transport, BufferPool pool) {
        this.transport = transport;
        this.pool = pool;
    }

    @Override
    public long send(FileChannel file, long position, long count) throws IOException {
        if (!transport.flush()) {
            return 0;
        }
        long sent = 0;
        ByteBuffer chunk = pool.acquire();
        try {
            while (sent < count) {
                chunk.clear().limit((int) Math.min(CHUNK, count - sent));
                int read = file.read(chunk, position + sent);
                if (read <= 0) {
                    break; // the file is shorter than reported: its truncation is on the way
                }
                chunk.flip();
                sent += transport.write(chunk);
                if (chunk.hasRemaining() || transport.pending()) {
                    break; // the socket is full
                }
            }
        } finally {
            pool.release(chunk);
        }
        return sent;
    }

    @Override
    public boolean full(FileChannel file, long position) throws IOException {
        return transport.pending() || position < file.size();
    }

    @Override
    public boolean pending() {
        return transport.pending();
    }

    @Override
    public boolean flush() throws IOException {
        return transport.flush();
    }
}
