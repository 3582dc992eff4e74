package io.tailsrv.api;

import java.time.Instant;

/**
 * One connected client, as seen at one moment.
 *
 * @param peer the client's address and port
 * @param offset the next byte it will be sent, or -1 before its header
 * @param lag bytes between its offset and the end of the file
 * @param bytesSent bytes sent to it so far
 * @param connectedSince when it connected
 * @param identity who it is by its TLS client certificate (subject CN, or else a subject
 *        alternative name); null without one
 * @param protocol how it speaks: {@code raw} (the offset header), with {@code /tls} inside TLS;
 *        {@code -} before its request
 */
public record ClientStatus(String peer, long offset, long lag, long bytesSent, Instant connectedSince,
        String identity, String protocol) {
}
