package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequest;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;

/**
 * Reads a request head one byte at a time, in RFC 9112's grammar, so that a
 * head split anywhere reads the same. A byte that breaks the grammar (a
 * control byte, a space before a colon, a folded line) or one past
 * {@link HttpProtocol#MAX_HEAD_BYTES} is answered at once, without waiting
 * for the rest; what depends on the whole head (the Host rules, the method,
 * the target, the headers' values) is judged at its blank line, by
 * {@link RequestRules}. Lines may end with CRLF or a bare LF.
 */
final class RequestHeadReader implements HttpRequestReader {

    private static final int MAX = HttpProtocol.MAX_HEAD_BYTES;
    /** Enough for curl's or a browser's request; a longer head grows the buffer, up to the limit. */
    private static final int FIRST_SIZE = 1024;
    private static final byte[] VERSION = "HTTP/0.0".getBytes(US_ASCII);

    /** Where in the grammar the next byte falls. */
    private enum Place { METHOD, TARGET, VERSION, LINE_CR, FIELD_START, NAME, VALUE, FIELD_CR, END_CR }

    private final Clock clock;
    private final ViewerPage page;
    private final HeaderFields fields = new HeaderFields();
    /** The head's bytes so far: parsing stops at its end or one byte past the limit, so this never overflows. */
    private byte[] head = new byte[FIRST_SIZE];
    private int length;
    private Place place = Place.METHOD;
    /** Where the current line starts: quoted when it is at fault. */
    private int lineStart;
    /** The space after the method; 0 until it is read. */
    private int methodEnd;
    /** The space after the target. */
    private int targetEnd;
    /** The current field's colon. */
    private int colon;
    private RequestLine line;
    private Status status = Status.INCOMPLETE;
    private FileRequest request;
    private HttpResponse rejection;

    RequestHeadReader(Clock clock, ViewerPage page) {
        this.clock = clock;
        this.page = page;
    }

    @Override
    public Status feed(ByteBuffer in) {
        while (status == Status.INCOMPLETE && in.hasRemaining()) {
            take(in.get());
        }
        return status;
    }

    @Override
    public HttpRequest request() {
        if (status != Status.COMPLETE) {
            throw new IllegalStateException("no request: " + status);
        }
        return request;
    }

    /** {@inheritDoc} Each call gets buffers of its own, positioned at their start. */
    @Override
    public HttpResponse rejection() {
        if (status != Status.REJECTED) {
            throw new IllegalStateException("no rejection: " + status);
        }
        return new HttpResponse(rejection.status(), rejection.head().duplicate(), rejection.body().duplicate(),
                rejection.start(), rejection.end(), rejection.events(), rejection.reason());
    }

    private void take(byte b) {
        if (length == head.length) {
            head = Arrays.copyOf(head, Math.min(2 * head.length, MAX + 1));
        }
        head[length++] = b;
        if (length > MAX) {
            // which request it was says more than a header line cut short
            String which = line != null ? line.quoted() : quoteLine();
            reject(new BadRequest(431, "request head over " + MAX + " bytes", which));
            return;
        }
        switch (place) {
            case METHOD -> {
                if (b == ' ' && length > 1) {
                    methodEnd = length - 1;
                    place = Place.TARGET;
                } else if (!isTokenByte(b)) {
                    bad("malformed request line");
                }
            }
            case TARGET -> {
                if (b == ' ' && length - 1 > methodEnd + 1) {
                    targetEnd = length - 1;
                    place = Place.VERSION;
                } else if (b <= ' ' || b == 0x7f) { // control bytes, spaces, and (signed) every byte over 0x7f
                    bad("malformed request line");
                }
            }
            case VERSION -> takeVersion(b, length - 1 - (targetEnd + 1));
            case LINE_CR -> {
                if (b == '\n') {
                    endRequestLine(length - 2);
                } else {
                    bad("malformed request line");
                }
            }
            case FIELD_START -> {
                if (b == '\r') {
                    place = Place.END_CR;
                } else if (b == '\n') {
                    complete();
                } else if (b == ' ' || b == '\t') {
                    bad("folded or indented header field");
                } else if (isTokenByte(b)) {
                    place = Place.NAME;
                } else {
                    bad("malformed header field");
                }
            }
            case NAME -> {
                if (b == ':') {
                    colon = length - 1;
                    place = Place.VALUE;
                } else if (b == ' ' || b == '\t') {
                    bad("whitespace before a header field's colon");
                } else if (!isTokenByte(b)) {
                    bad("malformed header field");
                }
            }
            case VALUE -> {
                if (b == '\r') {
                    place = Place.FIELD_CR;
                } else if (b == '\n') {
                    endField(length - 1);
                } else if (((b & 0xff) < ' ' && b != '\t') || b == 0x7f) { // obs-text (over 0x7f) is allowed
                    bad("control byte in a header field");
                }
            }
            case FIELD_CR -> {
                if (b == '\n') {
                    endField(length - 2);
                } else {
                    bad("CR without LF in a header field");
                }
            }
            case END_CR -> {
                if (b == '\n') {
                    complete();
                } else {
                    bad("CR without LF at the end of the head");
                }
            }
        }
    }

    /** {@code HTTP/DIGIT.DIGIT} (the name is case-sensitive), then the line's end. */
    private void takeVersion(byte b, int at) {
        if (at == VERSION.length && (b == '\r' || b == '\n')) {
            if (b == '\r') {
                place = Place.LINE_CR;
            } else {
                endRequestLine(length - 1);
            }
            return;
        }
        boolean expected = at < VERSION.length
                && (VERSION[at] == '0' ? b >= '0' && b <= '9' : b == VERSION[at]);
        if (!expected) {
            bad("malformed request line");
        }
    }

    private void endRequestLine(int end) {
        String method = latin1(0, methodEnd);
        String target = latin1(methodEnd + 1, targetEnd);
        int version = targetEnd + 1;
        line = new RequestLine(method, target, head[version + 5] - '0', head[version + 7] - '0',
                LogEscaper.quote(head, 0, end));
        startLine();
    }

    private void endField(int end) {
        int from = colon + 1;
        int to = end;
        while (from < to && (head[from] == ' ' || head[from] == '\t')) {
            from++;
        }
        while (to > from && (head[to - 1] == ' ' || head[to - 1] == '\t')) {
            to--;
        }
        fields.add(head, lineStart, colon, from, to);
        startLine();
    }

    private void startLine() {
        lineStart = length;
        place = Place.FIELD_START;
    }

    private void complete() {
        try {
            request = RequestRules.judge(line, fields, clock, page);
            status = Status.COMPLETE;
        } catch (BadRequest fault) {
            reject(fault);
        }
    }

    private void bad(String problem) {
        reject(new BadRequest(400, problem, quoteLine()));
    }

    /** The current line, up to and including the byte just read. */
    private String quoteLine() {
        return LogEscaper.quote(head, lineStart, length);
    }

    private void reject(BadRequest fault) {
        status = Status.REJECTED;
        rejection = ErrorResponse.of(fault, isHead(), clock.instant());
    }

    /** Whether the method, once read, is HEAD, whose answers carry no body, errors included. */
    private boolean isHead() {
        return methodEnd == 4 && head[0] == 'H' && head[1] == 'E' && head[2] == 'A' && head[3] == 'D';
    }

    private String latin1(int from, int to) {
        return new String(head, from, to - from, ISO_8859_1);
    }

    /** RFC 9110's tchar: what a method or a field name is made of. */
    static boolean isTokenByte(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || (b >= 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }
}
