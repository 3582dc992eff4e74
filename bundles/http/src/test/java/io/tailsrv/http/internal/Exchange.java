package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpRequest;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;

/** What the tests share: a fixed clock, feeding heads to a reader, and reading responses back. */
final class Exchange {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T09:05:03Z"), ZoneOffset.UTC);
    static final String DATE = "Mon, 07 Dec 2026 09:05:03 GMT";
    static final String TEXT = "text/plain; charset=utf-8";
    static final HttpFileProtocol PROTOCOL = new HttpFileProtocol(CLOCK);

    /** A response as a client reads it: the status, the headers (by lower-case name), the body. */
    record Response(int status, String statusLine, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private Exchange() {
    }

    /** A reader fed {@code head} (ISO-8859-1: "\u00ff" is the byte 0xff) in one piece. */
    static HttpRequestReader read(String head) {
        HttpRequestReader reader = PROTOCOL.newReader();
        reader.feed(ByteBuffer.wrap(head.getBytes(ISO_8859_1)));
        return reader;
    }

    static HttpRequest request(String head) {
        HttpRequestReader reader = read(head);
        assertEquals(Status.COMPLETE, reader.feed(ByteBuffer.allocate(0)),
                () -> "rejected: " + reader.rejection().reason());
        return reader.request();
    }

    static HttpResponse rejection(String head) {
        HttpRequestReader reader = read(head);
        assertEquals(Status.REJECTED, reader.feed(ByteBuffer.allocate(0)), head);
        return reader.rejection();
    }

    /** A GET of {@code target} with Host and the given header lines, answered for a file of {@code size} bytes. */
    static HttpResponse get(String target, long size, String... headers) {
        return request(requestHead("GET", target, headers)).respond(size, TEXT);
    }

    static HttpResponse head(String target, long size, String... headers) {
        return request(requestHead("HEAD", target, headers)).respond(size, TEXT);
    }

    /** A request head: {@code method target HTTP/1.1}, a Host, the given header lines. */
    static String requestHead(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: tailsrv.test:4321\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * Reads a response as a client would, checking what every response
     * must have: a status line, CRLF line ends, a Date, Connection: close,
     * no header twice, the blank line, and a body as long as its
     * Content-Length says (if it has a body).
     */
    static Response parse(HttpResponse response) {
        String head = text(response.head());
        assertTrue(head.endsWith("\r\n\r\n"), head);
        String[] lines = head.substring(0, head.length() - 4).split("\r\n", -1);
        assertTrue(lines[0].matches("HTTP/1\\.1 [0-9]{3} [A-Za-z ]+"), lines[0]);
        int status = Integer.parseInt(lines[0].substring(9, 12));
        assertEquals(response.status(), status);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            assertTrue(line.matches("[A-Za-z-]+: [\\x20-\\x7e]*"), line);
            int colon = line.indexOf(':');
            if (headers.put(line.substring(0, colon).toLowerCase(), line.substring(colon + 2)) != null) {
                fail("two " + line.substring(0, colon) + " in " + head);
            }
        }
        assertEquals(DATE, headers.get("date"));
        assertEquals("close", headers.get("connection"));
        String body = response.body() == null ? null : text(response.body());
        if (body != null && !body.isEmpty()) {
            assertEquals(Long.toString(body.getBytes(ISO_8859_1).length), headers.get("content-length"));
        }
        if (status >= 400) {
            assertTrue(response.reason() != null && response.reason().chars().allMatch(c -> c >= 0x20 && c <= 0x7e),
                    response.reason());
        } else {
            assertNull(response.reason());
        }
        return new Response(status, lines[0], headers, body);
    }

    /** The buffer's remaining bytes as ISO-8859-1 text, leaving the buffer as it was. */
    static String text(ByteBuffer buffer) {
        return ISO_8859_1.decode(buffer.duplicate()).toString();
    }
}
