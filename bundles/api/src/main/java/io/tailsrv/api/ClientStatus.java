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
 */
public record ClientStatus(String peer, long offset, long lag, long bytesSent, Instant connectedSince) {
}
