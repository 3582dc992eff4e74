package io.tailsrv.server.internal.connection;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a connection's bytes cross its socket: as they are, or inside TLS.
 * Touched on the connection's loop only (or under its lock).
 */
public interface Transport {

    /**
     * Reads what has arrived, as the application sees it, into {@code into}:
     * the number of bytes, 0 if none yet, -1 at the end of the stream (for
     * TLS: the peer's close_notify, or its socket's end).
     *
     * @throws IOException the connection was reset or is broken (for TLS: a bad record, an alert)
     */
    int read(ByteBuffer into) throws IOException;

    /** Writes what the socket takes now of {@code from}; returns how much of it was taken. */
    int write(ByteBuffer from) throws IOException;

    /** Writes what is still held for the socket (TLS records); true once nothing is. */
    boolean flush() throws IOException;

    /** Whether bytes are held for the socket, waiting for it to drain. */
    boolean pending();

    /** Whether bytes cross as they are: then file bytes can go from the page cache to the socket (sendfile). */
    boolean plain();

    /**
     * Whether bytes may still be written after {@link #read} said the stream ended: always over plain TCP (a
     * half-close); not once TLS answered the peer's close_notify with its own, after which nothing can be sent.
     */
    boolean canSendAfterEnd();

    /**
     * The connection is about to close: says goodbye if the protocol has a
     * way (TLS's close_notify), as far as the socket takes it now, and lets
     * go of what it holds (buffers). The socket itself is the connection's
     * to close.
     */
    void release();
}
