package io.tailsrv.server.internal.handshake;

import io.tailsrv.api.HttpRequest;

/**
 * What a handshake ends with: where the client wants the stream to start,
 * resolved against the file when it starts streaming.
 *
 * @param requestedOffset the offset as asked in an offset header: a byte offset if 0 or more,
 *        else that many bytes before the end of the file
 * @param http the HTTP request, which says the offset, the response head and the framing
 *        once the file's size is known; null for the offset protocol
 */
public record StreamRequest(long requestedOffset, HttpRequest http) {

    /** An offset header's request. */
    public static StreamRequest offset(long requested) {
        return new StreamRequest(requested, null);
    }

    /** An HTTP request. */
    public static StreamRequest http(HttpRequest request) {
        return new StreamRequest(0, request);
    }
}
