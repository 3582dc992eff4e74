package io.tailsrv.http.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import io.tailsrv.api.HttpRequest;
import io.tailsrv.api.HttpResponse;

/**
 * A request for {@code /}, answered once the file's size is known: the file
 * (streamed, or finite for {@code follow=0} and closed ranges), its events,
 * or the viewer page, as {@code Accept} prefers.
 */
final class FileRequest implements HttpRequest {

    /** The header that says where a file response starts, so that a client knows where it is. */
    static final String OFFSET_HEADER = "Tailsrv-Offset";

    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private enum Representation { FILE, EVENTS, PAGE }

    private final RequestLine line;
    private final RequestTarget target;
    private final ByteRange range;
    private final long lastEventId;
    private final Accept accept;
    private final Clock clock;
    private final ViewerPage page;

    /**
     * @param range the range asked for, null if none (or one to ignore)
     * @param lastEventId the {@code Last-Event-ID} to resume events at, -1 if none
     * @param accept the {@code Accept} header, null if none
     */
    FileRequest(RequestLine line, RequestTarget target, ByteRange range, long lastEventId, Accept accept,
            Clock clock, ViewerPage page) {
        this.line = line;
        this.target = target;
        this.range = range;
        this.lastEventId = lastEventId;
        this.accept = accept;
        this.clock = clock;
        this.page = page;
    }

    @Override
    public String line() {
        return line.forLog();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A file that does not exist yet answers as an empty one: a stream
     * waits for it, {@code follow=0} gets 200 with no bytes, and a range 416.
     *
     * @throws IllegalArgumentException if {@code fileSize} is below -1
     */
    @Override
    public HttpResponse respond(long fileSize, String contentType) {
        if (fileSize < -1) {
            throw new IllegalArgumentException("file size " + fileSize);
        }
        long size = Math.max(fileSize, 0);
        Instant now = clock.instant();
        return switch (representation(contentType)) {
            case PAGE -> page(now);
            case EVENTS -> events(size, now);
            case FILE -> range == null ? file(size, contentType, now) : ranged(size, contentType, now);
        };
    }

    /**
     * Events only for a client that names {@code text/event-stream} (as
     * EventSource does), the page only for one that names {@code text/html}
     * above the file's own type (as a browser's navigation does, where the
     * file's type comes from {@code *}{@code /*;q=0.8}); everyone else,
     * {@code curl}'s {@code *}{@code /*} and a missing or unsatisfiable
     * {@code Accept} included, gets the file (RFC 9110 12.5.1 allows that
     * rather than 406).
     */
    private Representation representation(String contentType) {
        if (accept == null) {
            return Representation.FILE;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        int file = slash < 0 ? 0 : accept.quality(essence.substring(0, slash), essence.substring(slash + 1));
        int events = accept.named("text", "event-stream");
        int html = accept.named("text", "html");
        if (events > 0 && events >= file && events >= html) {
            return Representation.EVENTS;
        }
        return html > file ? Representation.PAGE : Representation.FILE;
    }

    /** The file from where the query says: streamed and followed, or up to its current end with {@code follow=0}. */
    private HttpResponse file(long size, String contentType, Instant now) {
        long start = resolve(target.offset(), size);
        ResponseHead head = fileHead(200, contentType, start, now);
        if (target.follow()) {
            if (line.isHead()) {
                return fixed(200, head.header("Content-Length", Math.max(0, size - start)), start);
            }
            return new HttpResponse(200, head.end(), null, start, -1, false, null);
        }
        long end = Math.max(start, size);
        return finite(200, head.header("Content-Length", end - start), start, end);
    }

    /**
     * A {@code Range}: a closed one, or any with {@code follow=0}, gets 206
     * with what exists of it now (or 416 if nothing does). An open one
     * ({@code bytes=N-}, {@code bytes=-N}) that follows only says where to
     * start, and gets the same 200 stream as {@code ?offset}: a 206 would
     * need a last byte in its {@code Content-Range}, which an endless body
     * does not have.
     */
    private HttpResponse ranged(long size, String contentType, Instant now) {
        if (!range.closed() && target.follow()) {
            long start = range.start(size);
            return new HttpResponse(200, fileHead(200, contentType, start, now).end(), null, start, -1, false, null);
        }
        if (!range.satisfiable(size)) {
            return ErrorResponse.unsatisfiable(size, "no byte of the range exists",
                    "range not satisfiable: " + LogEscaper.quote(range.toString()) + " of " + size + " bytes",
                    line.isHead(), now);
        }
        long start = range.start(size);
        long end = range.end(size);
        ResponseHead head = fileHead(206, contentType, start, now)
                .header("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + size)
                .header("Content-Length", end - start);
        return finite(206, head, start, end);
    }

    /**
     * The events, from {@code Last-Event-ID} if the client sent one (it is the
     * offset after the last line it got), else from {@code ?offset}. An id
     * past the end of the file cannot be from this file (ids are offsets
     * of bytes that were there): it was truncated or replaced since, and
     * the events start again at 0.
     */
    private HttpResponse events(long size, Instant now) {
        long start;
        if (lastEventId < 0) {
            start = resolve(target.offset(), size);
        } else {
            start = lastEventId <= size ? lastEventId : 0;
        }
        ResponseHead head = new ResponseHead(200, now)
                .header("Content-Type", "text/event-stream")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no")
                .header("Vary", "Accept")
                .header(OFFSET_HEADER, start);
        if (line.isHead()) {
            return fixed(200, head, start);
        }
        return new HttpResponse(200, head.end(), null, start, -1, true, null);
    }

    private HttpResponse page(Instant now) {
        ResponseHead head = new ResponseHead(200, now)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Length", page.length())
                .header("Content-Security-Policy", page.contentSecurityPolicy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("Vary", "Accept");
        return new HttpResponse(200, head.end(), line.isHead() ? NO_BODY.duplicate() : page.body(), 0, 0, false,
                null);
    }

    private static ResponseHead fileHead(int status, String contentType, long start, Instant now) {
        return new ResponseHead(status, now)
                .header("Content-Type", contentType)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no")
                .header("Accept-Ranges", "bytes")
                .header("Vary", "Accept")
                .header(OFFSET_HEADER, start);
    }

    /** Bytes {@code [start, end)} of the file; a HEAD, or an empty range, is answered by the head alone. */
    private HttpResponse finite(int status, ResponseHead head, long start, long end) {
        if (line.isHead() || start == end) {
            return new HttpResponse(status, head.end(), NO_BODY.duplicate(), start, end, false, null);
        }
        return new HttpResponse(status, head.end(), null, start, end, false, null);
    }

    private static HttpResponse fixed(int status, ResponseHead head, long start) {
        return new HttpResponse(status, head.end(), NO_BODY.duplicate(), start, start, false, null);
    }

    /** The offset header's rule: from the start if 0 or more, else back from the end, not before 0. */
    private static long resolve(long requested, long size) {
        return requested >= 0 ? requested : Math.max(0, size + requested);
    }
}
