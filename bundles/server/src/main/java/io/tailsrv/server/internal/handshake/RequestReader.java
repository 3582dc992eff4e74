package io.tailsrv.server.internal.handshake;

import java.nio.ByteBuffer;

/**
 * Reads one protocol's request from the first bytes of a connection, in
 * any number of pieces, holding a bounded amount of state whatever the
 * client sends.
 */
interface RequestReader {

    enum Progress {
        /** More bytes are needed. */
        MORE,
        /** The request is complete: see {@link #request()}. */
        DONE,
        /** The request is malformed: see {@link #rejection()}. */
        REJECTED
    }

    /** Consumes bytes of {@code in}; those after the request's end are left in it. */
    Progress feed(ByteBuffer in);

    /** The request; only once DONE. */
    StreamRequest request();

    /** Why the request was refused, with the client's bytes escaped for a log line; only once REJECTED. */
    String rejection();

    /** The refusal's counter (see InstanceCounters); only with a {@link #rejectionResponse}. */
    default String rejectionKey() {
        return null;
    }

    /** What to send before closing a refused connection (an HTTP error response); null: nothing. */
    default java.nio.ByteBuffer[] rejectionResponse() {
        return null;
    }
}
