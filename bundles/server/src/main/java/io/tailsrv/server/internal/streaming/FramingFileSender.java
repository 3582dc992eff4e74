package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import io.tailsrv.api.EventFramer;
import io.tailsrv.server.internal.connection.Transport;
import io.tailsrv.server.internal.loop.BufferPool;

/**
 * File bytes as Server-Sent Events: read from the file, framed one event
 * per complete line ({@link EventFramer}), written through the transport
 * (plain or TLS). This path copies, as framing must; its two buffers are
 * pooled and held only while bytes are in flight: a framed chunk the socket
 * did not take is kept until it does.
 */
final class FramingFileSender implements FileSender {

    private final EventFramer framer;
    private final Transport transport;
    private final BufferPool pool;
    /** Framed bytes the socket has not taken yet; null when none. */
    private ByteBuffer unsent;

    FramingFileSender(EventFramer framer, Transport transport, BufferPool pool) {
        this.framer = framer;
        this.transport = transport;
        this.pool = pool;
    }

    @Override
    public long send(FileChannel file, long position, long count) throws IOException {
        if (!flush()) {
            return 0;
        }
        long framed = 0;
        ByteBuffer in = pool.acquire();
        try {
            while (framed < count) {
                in.clear().limit((int) Math.min(in.capacity(), count - framed));
                if (file.read(in, position + framed) <= 0) {
                    break;
                }
                in.flip();
                ByteBuffer out = pool.acquire();
                int n = framer.frame(in, out);
                out.flip();
                if (n == 0) {
                    pool.release(out);
                    break; // no complete line yet: the rest waits for the file to grow
                }
                framed += n;
                unsent = out;
                if (!flush()) {
                    break; // the socket is full
                }
            }
        } finally {
            pool.release(in);
        }
        return framed;
    }

    @Override
    public boolean full(FileChannel file, long position) {
        return pending();
    }

    @Override
    public boolean pending() {
        return unsent != null || transport.pending();
    }

    @Override
    public boolean flush() throws IOException {
        if (unsent != null) {
            while (unsent.hasRemaining()) {
                if (transport.write(unsent) == 0) {
                    return false;
                }
            }
            pool.release(unsent);
            unsent = null;
        }
        return transport.flush();
    }
}
