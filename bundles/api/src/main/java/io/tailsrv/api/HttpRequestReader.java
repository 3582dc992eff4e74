package io.tailsrv.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads one request head incrementally, as its bytes arrive, in any number
 * of pieces, holding at most {@link HttpProtocol#MAX_HEAD_BYTES} whatever
 * the client sends.
 */
@ProviderType
public interface HttpRequestReader {

    /**
     * Consumes bytes from {@code in}, up to and including the blank line
     * that ends the head, or all of them if it has not come yet. Once the
     * status is COMPLETE or REJECTED it stays so and further calls consume
     * nothing.
     */
    HeaderParser.Status feed(ByteBuffer in);

    /** The request; only once COMPLETE. */
    HttpRequest request();

    /** The error response to send (400, 404, 405, 431, ...), with its reason for the log; only once REJECTED. */
    HttpResponse rejection();
}
