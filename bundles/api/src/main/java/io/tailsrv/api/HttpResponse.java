package io.tailsrv.api;

import java.nio.ByteBuffer;

/**
 * What to send for one request: a response head, then either a fixed body
 * (an error, the viewer page, nothing for HEAD) or file bytes from
 * {@code start}: up to {@code end} (a finite response), or on and on as the
 * file grows ({@code end} = -1), as they are or framed as Server-Sent
 * Events. The connection closes once it is sent (no keep-alive).
 *
 * @param status the status code, for the log and the console
 * @param head the status line and headers, ending with the blank line
 * @param body bytes after the head instead of file bytes; null when file bytes follow
 * @param start the first file byte to send (resolved: 0 or more)
 * @param end the byte after the last to send, or -1 to follow the file
 * @param events whether file bytes go as Server-Sent Events (see {@link HttpProtocol#newFramer})
 * @param reason for an error, why, escaped for the log; null otherwise
 */
public record HttpResponse(int status, ByteBuffer head, ByteBuffer body, long start, long end, boolean events,
        String reason) {

    /** Whether file bytes follow the head. */
    public boolean streamsFile() {
        return body == null;
    }
}
