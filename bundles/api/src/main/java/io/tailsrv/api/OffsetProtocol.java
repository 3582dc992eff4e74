package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client's side of the conversation: one header line naming a byte
 * offset, {@code [ \t]*[+-]?[0-9]+[ \t\r]*\n}, at most
 * {@value #MAX_HEADER_BYTES} bytes before the newline.
 */
@ProviderType
public interface OffsetProtocol {

    /** The longest header, not counting its {@code \n}. */
    int MAX_HEADER_BYTES = 64;

    /** A parser for one connection's header. Parsers are not thread-safe. */
    HeaderParser newParser();

    /**
     * Where a client that asked for {@code requested} starts, in a file of
     * {@code fileSize} bytes: {@code requested} itself when it is 0 or more
     * (even past the end: the client then waits for the file to get there),
     * otherwise that many bytes before the end, but not before 0.
     */
    long resolve(long requested, long fileSize);
}
