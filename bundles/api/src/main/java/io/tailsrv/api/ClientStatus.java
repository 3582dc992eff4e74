package io.tailsrv.api;

import java.time.Instant;

/**
 * One connected client, as seen at one moment.
 *
 * @param peer the client's address and port
 * @param offset the next byte it will be sent, or -1 before its header
 * @param lag bytes between its offset and the end of the file
 * @param lagSeconds seconds since its offset was last the end of the file: how far behind it is in
 *        time; 0 while it is caught up
 * @param bytesSent bytes sent to it so far
 * @param connectedSince when it connected
 * @param identity who it is by its TLS client certificate (subject CN, or else a subject
 *        alternative name); null without one
 * @param protocol how it speaks: {@code raw} (the offset header), with {@code /tls} inside TLS;
 *        {@code http} or {@code sse} over HTTP; {@code -} before its request
 */
public record ClientStatus(String peer, long offset, long lag, double lagSeconds, long bytesSent,
        Instant connectedSince, String identity, String protocol) {
}
