package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.tailsrv.api.HttpResponse;

/**
 * A short error response: the status, one line of plain text saying what
 * was wrong (never the client's bytes: they go to the log only, escaped),
 * then the connection closes. {@code no-store}, since the same request can
 * succeed later (a 416 once the file has grown). A HEAD request gets the
 * same head without the body (RFC 9110 9.3.2).
 */
final class ErrorResponse {

    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private ErrorResponse() {
    }

    static HttpResponse of(BadRequest fault, boolean headOnly, Instant now) {
        ResponseHead head = new ResponseHead(fault.status(), now);
        if (fault.status() == 405) {
            head.header("Allow", "GET, HEAD");
        }
        return build(fault.status(), fault.problem(), fault.reason(), head, headOnly);
    }

    /** 416: no byte of the range exists; {@code Content-Range} says how many do (RFC 9110 15.5.17). */
    static HttpResponse unsatisfiable(long size, String problem, String reason, boolean headOnly, Instant now) {
        ResponseHead head = new ResponseHead(416, now).header("Content-Range", "bytes */" + size);
        return build(416, problem, reason, head, headOnly);
    }

    private static HttpResponse build(int status, String problem, String reason, ResponseHead head,
            boolean headOnly) {
        byte[] body = (status + " " + ResponseHead.phrase(status) + ": " + problem + "\n").getBytes(US_ASCII);
        head.header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Length", body.length)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
        return new HttpResponse(status, head.end(), headOnly ? NO_BODY.duplicate() : ByteBuffer.wrap(body), 0, 0,
                false, reason);
    }
}
