package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of one connection to an upstream, as they are or through TLS,
 * on a non-blocking socket. Loop thread only.
 */
interface Transport {

    /** Takes the TLS handshake as far as the socket allows: true once it is done (at once without TLS). */
    boolean handshake() throws IOException;

    /** Sends what the socket takes of {@code source}: true once all of it is out. */
    boolean send(ByteBuffer source) throws IOException;

    /** Reads what has arrived into {@code destination}: how many bytes, 0 if none yet, -1 at the end. */
    int receive(ByteBuffer destination) throws IOException;

    /**
     * Whether bytes already read from the socket wait to be received (the
     * rest of TLS records): the selector cannot say so, as the socket holds
     * them no more.
     */
    boolean holdsInput();

    /** What the socket must become ready for before the next step can go on. */
    int interest();

    /** Closes the socket. */
    void close();
}
