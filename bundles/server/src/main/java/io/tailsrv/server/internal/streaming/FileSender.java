package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * How one connection's file bytes reach its socket: as they are, with
 * sendfile ({@link ZeroCopyFileSender}); or read, encrypted and written
 * ({@link TlsFileSender}). Each streaming connection has its own.
 */
interface FileSender {

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code position},
     * as much as the socket takes now.
     *
     * @return the file bytes sent (or taken into bytes held for the socket), 0 if the socket is full
     * @throws IOException if the socket failed or the file cannot be read
     */
    long send(FileChannel file, long position, long count) throws IOException;

    /**
     * After a send that sent less than asked: whether that was because the
     * socket is full (select for writing), rather than because there was
     * nothing to send yet (the file is shorter than reported, a line waits
     * for its end).
     */
    boolean full(FileChannel file, long position) throws IOException;

    /**
     * The client has been sent all there is, and waits for the file to grow:
     * nothing may stay held back for a later segment.
     */
    default void caughtUp() throws IOException {
    }

    /** Whether bytes are held for the socket (a TLS record half written): select for writing. */
    default boolean pending() {
        return false;
    }

    /** Writes what is held for the socket; true once nothing is. */
    default boolean flush() throws IOException {
        return true;
    }
}
