package io.tailsrv.server.internal.handshake;

/**
 * What a handshake ends with: where the client wants the stream to start.
 *
 * @param requestedOffset the offset as asked: a byte offset if 0 or more,
 *        else that many bytes before the end of the file; resolved against
 *        the file when the client starts streaming
 */
public record StreamRequest(long requestedOffset) {
}
