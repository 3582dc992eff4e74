package io.tailsrv.http.internal;

import java.time.Clock;

/**
 * What a complete, well-formed head is answered with, in this order: the
 * version (505 unless HTTP/1.x), the Host rules (RFC 9112 3.2: 400 for a
 * missing one in HTTP/1.1, for two, for a malformed one), the method (405
 * unless GET or HEAD), no body (400 for {@code Transfer-Encoding} or a
 * non-zero {@code Content-Length}), the target (404 unless {@code /}), and
 * the values the answer depends on (400 when malformed or contradictory).
 */
final class RequestRules {

    private RequestRules() {
    }

    static FileRequest judge(RequestLine line, HeaderFields fields, Clock clock, ViewerPage page)
            throws BadRequest {
        String quoted = line.quoted();
        if (line.major() != 1) {
            throw new BadRequest(505, "only HTTP/1.0 and HTTP/1.1 are spoken", quoted);
        }
        if (fields.hosts > 1) {
            throw new BadRequest(400, "more than one Host header", quoted);
        }
        if (fields.hosts == 0 && line.minor() >= 1) {
            throw new BadRequest(400, "no Host header, which HTTP/1.1 requires", quoted);
        }
        if (fields.host != null && !RequestTarget.isAuthority(fields.host)) {
            throw new BadRequest(400, "malformed Host header", LogEscaper.quote(fields.host));
        }
        if (!line.isHead() && !line.method().equals("GET")) {
            throw new BadRequest(405, "only GET and HEAD are allowed", quoted);
        }
        if (fields.transferEncoding) {
            throw new BadRequest(400, "a request body (Transfer-Encoding)", quoted);
        }
        if (fields.contentLength != null) {
            throw new BadRequest(400, "a request body (Content-Length)", LogEscaper.quote(fields.contentLength));
        }
        RequestTarget target = RequestTarget.parse(line.target(), quoted);
        return new FileRequest(line, target, range(line, fields, target), lastEventId(fields),
                fields.accept == null ? null : Accept.parse(fields.accept), clock, page);
    }

    /**
     * The range of a GET: HEAD ignores {@code Range}, as does a request with
     * {@code If-Range} (RFC 9110 14.2, 13.1.5: this server sends no validator,
     * so none can match). Range and {@code ?offset} both say where to
     * start: given together, they contradict each other.
     */
    private static ByteRange range(RequestLine line, HeaderFields fields, RequestTarget target) throws BadRequest {
        if (line.isHead() || fields.ranges == 0 || fields.ifRanges > 0) {
            return null;
        }
        if (fields.ranges > 1) {
            throw new BadRequest(400, "more than one Range header", line.quoted());
        }
        ByteRange range = ByteRange.parse(fields.range);
        if (range != null && target.offsetGiven()) {
            throw new BadRequest(400, "both a Range header and ?offset", line.quoted());
        }
        return range;
    }

    /**
     * {@code Last-Event-ID}: an offset this server gave as an event's id, so
     * a non-negative decimal; empty is none, as EventSource means it.
     */
    private static long lastEventId(HeaderFields fields) throws BadRequest {
        if (fields.lastEventIds > 1) {
            throw new BadRequest(400, "more than one Last-Event-ID header", LogEscaper.quote(fields.lastEventId));
        }
        String id = fields.lastEventId;
        if (id == null || id.isEmpty()) {
            return -1;
        }
        if (!id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadRequest(400, "malformed Last-Event-ID header", LogEscaper.quote(id));
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "malformed Last-Event-ID header", LogEscaper.quote(id));
        }
    }
}
