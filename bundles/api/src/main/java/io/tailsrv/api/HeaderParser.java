package io.tailsrv.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Parses one header incrementally, as its bytes arrive, in any number of
 * pieces. Holds a bounded amount of state whatever the client sends.
 */
@ProviderType
public interface HeaderParser {

    /** Where parsing stands. */
    enum Status {
        /** More bytes are needed. */
        INCOMPLETE,
        /** The header is complete: see {@link HeaderParser#requestedOffset()}. */
        COMPLETE,
        /** The header is malformed: see {@link HeaderParser#rejection()}. */
        REJECTED
    }

    /**
     * Consumes bytes from {@code in} up to and including the header's
     * {@code \n}, or all of them if the header is not complete yet. Bytes
     * after the newline are left in the buffer. Once the status is
     * {@link Status#COMPLETE} or {@link Status#REJECTED} it stays so and
     * further calls consume nothing.
     */
    Status feed(ByteBuffer in);

    /** The current status. */
    Status status();

    /** The offset the client asked for; only meaningful once COMPLETE. */
    long requestedOffset();

    /**
     * Why the header was rejected, with the offending bytes escaped so that
     * they are safe to log; {@code null} unless REJECTED.
     */
    String rejection();
}
