package io.tailsrv.http.internal;

import static io.tailsrv.http.internal.Exchange.parse;
import static io.tailsrv.http.internal.Exchange.read;
import static io.tailsrv.http.internal.Exchange.rejection;
import static io.tailsrv.http.internal.Exchange.request;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.api.LogText;
import io.tailsrv.http.internal.Exchange.Response;

class RequestHeadReaderTest {

    private static final String HOST = "Host: tailsrv.test\r\n";

    /**
     * One input and what reading it gives however it is split: COMPLETE with
     * its log line, or REJECTED with a status and the start of its reason;
     * and how many bytes were consumed (the rest stay for whoever reads on).
     * Inputs are ISO-8859-1, so that "\u00ff" is the byte 0xff.
     */
    record Case(String input, Status status, int code, String outcome, int consumed) {

        static Case accepted(String input, String line) {
            int end = input.indexOf("\n\n");
            int crlf = input.indexOf("\n\r\n");
            int consumed = end < 0 || (crlf >= 0 && crlf < end) ? crlf + 3 : end + 2;
            return new Case(input, Status.COMPLETE, 0, line, consumed);
        }

        /** Rejected once the whole input is read. */
        static Case rejected(String input, int code, String reason) {
            return new Case(input, Status.REJECTED, code, reason, input.length());
        }

        /** Rejected at the byte that breaks the grammar, the {@code consumed}th. */
        static Case rejectedAt(String input, int consumed, String reason) {
            return new Case(input, Status.REJECTED, 400, reason, consumed);
        }

        byte[] bytes() {
            return input.getBytes(ISO_8859_1);
        }

        @Override
        public String toString() {
            return LogText.escape(input);
        }
    }

    static Stream<Case> heads() {
        return Stream.of(
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\n" + "Host: a\n\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\nHost: a\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\nHost: a\r\n\n", "GET /"),
                Case.accepted("HEAD /?offset=-100 HTTP/1.1\r\n" + HOST + "\r\n", "HEAD /?offset=-100"),
                Case.accepted("GET / HTTP/1.0\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.0\n\n", "GET /"),
                Case.accepted("GET / HTTP/1.9\r\n" + HOST + "\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\nhOsT:tailsrv.test\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\nHost: \t[::1]:4321 \t\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\nHost:\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "!#$%&'*+-.^_`|~09azAZ: x\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "X-Name: caf\u00e9 \u00ff\t\"quoted\" \\ tab\there\r\n\r\n",
                        "GET /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "Empty:\r\nEmpty2: \t \r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\nContent-Length: 000\r\n\r\n", "GET /"),
                Case.accepted("GET http://tailsrv.test:4321/?offset=5 HTTP/1.1\r\n" + HOST + "\r\n",
                        "GET http://tailsrv.test:4321/?offset=5"),
                Case.accepted("GET HTTPS://[::1]:4321 HTTP/1.1\r\n" + HOST + "\r\n", "GET HTTPS://[::1]:4321"),
                Case.accepted("GET http://h?follow=0 HTTP/1.1\r\n" + HOST + "\r\n", "GET http://h?follow=0"),
                Case.accepted("GET /?a\\b HTTP/1.1\r\n" + HOST + "\r\n", "GET /?a\\\\b"),
                Case.accepted("GET /? HTTP/1.1\r\n" + HOST + "\r\n", "GET /?"),
                Case.accepted("GET /?&&x=%41&offset=%2D5&%66ollow=1& HTTP/1.1\r\n" + HOST + "\r\n",
                        "GET /?&&x=%41&offset=%2D5&%66ollow=1&"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "Range: lines=1-2\r\nRange: bytes=x\r\nIf-Range: \"e\"\r\n\r\n",
                        "GET /"),
                Case.accepted("HEAD / HTTP/1.1\r\n" + HOST + "Range: bytes=garbage\r\n\r\n", "HEAD /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "Last-Event-ID:\r\n\r\n", "GET /"),
                Case.accepted("GET / HTTP/1.1\r\n" + HOST + "\r\nGET / HTTP/1.1\r\n\r\n", "GET /"),

                // the request line, at its first bad byte
                Case.rejectedAt("GET  / HTTP/1.1\r\n\r\n", 5, "malformed request line: \"GET  \""),
                Case.rejectedAt(" GET / HTTP/1.1\r\n\r\n", 1, "malformed request line: \" \""),
                Case.rejectedAt("GET\t/ HTTP/1.1\r\n\r\n", 4, "malformed request line: \"GET\\t\""),
                Case.rejectedAt("G(T / HTTP/1.1\r\n\r\n", 2, "malformed request line: \"G(\""),
                Case.rejectedAt("GET /\r\n\r\n", 6, "malformed request line: \"GET /\\r\""),
                Case.rejectedAt("GET /\n\n", 6, "malformed request line: \"GET /\\n\""),
                Case.rejectedAt("GET / \r\n\r\n", 7, "malformed request line: \"GET / \\r\""),
                Case.rejectedAt("GET / HTTP/1.1 \r\n\r\n", 15, "malformed request line: \"GET / HTTP/1.1 \""),
                Case.rejectedAt("GET / http/1.1\r\n\r\n", 7, "malformed request line: \"GET / h\""),
                Case.rejectedAt("GET / HTTP/1.10\r\n\r\n", 15, "malformed request line: \"GET / HTTP/1.10\""),
                Case.rejectedAt("GET / HTTP/11\r\n\r\n", 13, "malformed request line: \"GET / HTTP/11\""),
                Case.rejectedAt("GET / HTTP/1.x\r\n\r\n", 14, "malformed request line: \"GET / HTTP/1.x\""),
                Case.rejectedAt("GET / HTTP/1.1\rX", 16, "malformed request line: \"GET / HTTP/1.1\\rX\""),
                Case.rejectedAt("GET /\u0000 HTTP/1.1\r\n\r\n", 6, "malformed request line: \"GET /\\x00\""),
                Case.rejectedAt("GET /caf\u00e9 HTTP/1.1\r\n\r\n", 9, "malformed request line: \"GET /caf\\xe9\""),
                Case.rejectedAt("GET /\u007f HTTP/1.1\r\n\r\n", 6, "malformed request line: \"GET /\\x7f\""),
                Case.rejectedAt("GET /\u001b[2J HTTP/1.1\r\n\r\n", 6, "malformed request line: \"GET /\\x1b\""),
                Case.rejectedAt("\u0016\u0003\u0001", 1, "malformed request line: \"\\x16\""),

                // header fields, at their first bad byte
                Case.rejectedAt("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 21,
                        "whitespace before a header field's colon: \"Host \""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 21,
                        "whitespace before a header field's colon: \"Host\\t\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHost: a\r\n  b\r\n\r\n", 26, "folded or indented header field: \" \""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHost: a\r\n\tb\r\n\r\n", 26, "folded or indented header field: \"\\t\""),
                Case.rejectedAt("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 17, "folded or indented header field: \" \""),
                Case.rejectedAt("GET / HTTP/1.1\r\n: a\r\n\r\n", 17, "malformed header field: \":\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", 19, "malformed header field: \"Ho(\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHost\r\n\r\n", 21, "malformed header field: \"Host\\r\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n", 21, "control byte in a header field: \"X: a\\x00\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nX: a\u007f\r\n\r\n", 21, "control byte in a header field: \"X: a\\x7f\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nX: \u001b[31m\r\n\r\n", 20, "control byte in a header field: \"X: \\x1b\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 22, "CR without LF in a header field: \"X: a\\rb\""),
                Case.rejectedAt("GET / HTTP/1.1\r\nHost: a\r\n\rX", 27, "CR without LF at the end of the head: \"\\rX\""),
                Case.rejectedAt("GET / HTTP/1.1\r\n\u00e9: x\r\n\r\n", 17, "malformed header field: \"\\xe9\""),

                // judged once the head is complete
                Case.rejected("GET / HTTP/1.1\r\n\r\n", 400,
                        "no Host header, which HTTP/1.1 requires: \"GET / HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + HOST + "\r\n", 400,
                        "more than one Host header: \"GET / HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400,
                        "more than one Host header: \"GET / HTTP/1.0\""),
                Case.rejected("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "malformed Host header: \"a b\""),
                Case.rejected("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 400, "malformed Host header: \"user@a\""),
                Case.rejected("GET / HTTP/1.1\r\nHost: caf\u00e9\r\n\r\n", 400, "malformed Host header: \"caf\\xe9\""),
                Case.rejected("GET / HTTP/2.0\r\n" + HOST + "\r\n", 505,
                        "only HTTP/1.0 and HTTP/1.1 are spoken: \"GET / HTTP/2.0\""),
                Case.rejected("GET / HTTP/0.9\r\n\r\n", 505, "only HTTP/1.0 and HTTP/1.1 are spoken: \"GET / HTTP/0.9\""),
                Case.rejected("PRI * HTTP/2.0\r\n\r\n", 505, "only HTTP/1.0 and HTTP/1.1 are spoken: \"PRI * HTTP/2.0\""),
                Case.rejected("POST / HTTP/1.1\r\n" + HOST + "\r\n", 405, "only GET and HEAD are allowed: \"POST / HTTP/1.1\""),
                Case.rejected("get / HTTP/1.1\r\n" + HOST + "\r\n", 405, "only GET and HEAD are allowed: \"get / HTTP/1.1\""),
                Case.rejected("OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", 405,
                        "only GET and HEAD are allowed: \"OPTIONS * HTTP/1.1\""),
                Case.rejected("CONNECT tailsrv.test:443 HTTP/1.1\r\n" + HOST + "\r\n", 405,
                        "only GET and HEAD are allowed: \"CONNECT tailsrv.test:443 HTTP/1.1\""),
                Case.rejected("DELETE /x HTTP/1.1\r\n" + HOST + "\r\n", 405, "only GET and HEAD are allowed: \"DELETE /x HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n", 400,
                        "a request body (Transfer-Encoding): \"GET / HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\n", 400,
                        "a request body (Content-Length): \"5\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Content-Length: 0\r\ncontent-length: x\r\n\r\n", 400,
                        "a request body (Content-Length): \"x\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Content-Length:\r\n\r\n", 400,
                        "a request body (Content-Length): \"\""),
                Case.rejected("GET /index.html HTTP/1.1\r\n" + HOST + "\r\n", 404,
                        "only / is served: \"GET /index.html HTTP/1.1\""),
                Case.rejected("GET /favicon.ico HTTP/1.1\r\n" + HOST + "\r\n", 404,
                        "only / is served: \"GET /favicon.ico HTTP/1.1\""),
                Case.rejected("GET // HTTP/1.1\r\n" + HOST + "\r\n", 404, "only / is served: \"GET // HTTP/1.1\""),
                Case.rejected("GET /%2F HTTP/1.1\r\n" + HOST + "\r\n", 404, "only / is served: \"GET /%2F HTTP/1.1\""),
                Case.rejected("HEAD http://h/x?offset=1 HTTP/1.1\r\n" + HOST + "\r\n", 404,
                        "only / is served: \"HEAD http://h/x?offset=1 HTTP/1.1\""),
                Case.rejected("GET * HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed request target: \"GET * HTTP/1.1\""),
                Case.rejected("GET tailsrv.test:80 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed request target: \"GET tailsrv.test:80 HTTP/1.1\""),
                Case.rejected("GET http:/// HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed request target: \"GET http:/// HTTP/1.1\""),
                Case.rejected("GET http://u@h/ HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed request target: \"GET http://u@h/ HTTP/1.1\""),
                Case.rejected("GET ftp://h/ HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed request target: \"GET ftp://h/ HTTP/1.1\""),
                Case.rejected("GET /#top HTTP/1.1\r\n" + HOST + "\r\n", 400, "malformed request target: \"GET /#top HTTP/1.1\""),
                Case.rejected("GET /?offset=abc HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset is not a number: \"GET /?offset=abc HTTP/1.1\""),
                Case.rejected("GET /?offset= HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset is not a number: \"GET /?offset= HTTP/1.1\""),
                Case.rejected("GET /?offset HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset is not a number: \"GET /?offset HTTP/1.1\""),
                Case.rejected("GET /?offset=%201 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset is not a number: \"GET /?offset=%201 HTTP/1.1\""),
                Case.rejected("GET /?offset=9223372036854775808 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset out of range: \"GET /?offset=9223372036854775808 HTTP/1.1\""),
                Case.rejected("GET /?offset=1&offset=1 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "offset given twice: \"GET /?offset=1&offset=1 HTTP/1.1\""),
                Case.rejected("GET /?follow=0&follow=0 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "follow given twice: \"GET /?follow=0&follow=0 HTTP/1.1\""),
                Case.rejected("GET /?follow=no HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "follow is 0 or 1: \"GET /?follow=no HTTP/1.1\""),
                Case.rejected("GET /?x=%zz HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed percent-encoding: \"GET /?x=%zz HTTP/1.1\""),
                Case.rejected("GET /?x=%4 HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "malformed percent-encoding: \"GET /?x=%4 HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=0-1\r\nRange: bytes=0-1\r\n\r\n", 400,
                        "more than one Range header: \"GET / HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=abc\r\n\r\n", 400,
                        "malformed Range header: \"bytes=abc\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=\r\n\r\n", 400, "malformed Range header: \"bytes=\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=, ,\r\n\r\n", 400,
                        "malformed Range header: \"bytes=, ,\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes\r\n\r\n", 400, "malformed Range header: \"bytes\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: =0-1\r\n\r\n", 400, "malformed Range header: \"=0-1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=1\r\n\r\n", 400, "malformed Range header: \"bytes=1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=--1\r\n\r\n", 400,
                        "malformed Range header: \"bytes=--1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=1-2-3\r\n\r\n", 400,
                        "malformed Range header: \"bytes=1-2-3\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes=0-1,x\r\n\r\n", 400,
                        "malformed Range header: \"bytes=0-1,x\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Range: bytes = 0-1\r\n\r\n", 400,
                        "malformed Range header: \"bytes = 0-1\""),
                Case.rejected("GET /?offset=0 HTTP/1.1\r\n" + HOST + "Range: bytes=5-\r\n\r\n", 400,
                        "both a Range header and ?offset: \"GET /?offset=0 HTTP/1.1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Last-Event-ID: 1\r\nLast-Event-ID: 1\r\n\r\n", 400,
                        "more than one Last-Event-ID header: \"1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Last-Event-ID: -1\r\n\r\n", 400,
                        "malformed Last-Event-ID header: \"-1\""),
                Case.rejected("GET / HTTP/1.1\r\n" + HOST + "Last-Event-ID: 9223372036854775808\r\n\r\n", 400,
                        "malformed Last-Event-ID header: \"9223372036854775808\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("heads")
    void readsTheSameWhole(Case c) {
        assertOutcome(c, Split.feed(c.bytes(), false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("heads")
    void readsTheSameByteByByteFromDirectBuffers(Case c) {
        assertOutcome(c, Split.feed(c.bytes(), true, Split.everyByte(c.bytes().length)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("heads")
    void readsTheSameSplitAnywhere(Case c) {
        for (int cut = 0; cut <= c.bytes().length; cut++) {
            assertOutcome(c, Split.feed(c.bytes(), cut % 2 == 0, cut));
        }
    }

    @Test
    void leavesTheBytesAfterTheHeadInTheBuffer() {
        ByteBuffer in = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: a\r\n\r\nmore bytes".getBytes(ISO_8859_1));
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();

        assertEquals(Status.COMPLETE, reader.feed(in));
        assertEquals("more bytes", Exchange.text(in));
    }

    @Test
    void consumesNothingOnceComplete() {
        HttpRequestReader reader = read("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        ByteBuffer more = ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(ISO_8859_1));

        assertEquals(Status.COMPLETE, reader.feed(more));
        assertEquals(0, more.position());
        assertThrows(IllegalStateException.class, reader::rejection);
    }

    @Test
    void consumesNothingOnceRejected() {
        HttpRequestReader reader = read("GET /\u0000");
        ByteBuffer more = ByteBuffer.wrap(" HTTP/1.1\r\n\r\n".getBytes(ISO_8859_1));

        assertEquals(Status.REJECTED, reader.feed(more));
        assertEquals(0, more.position());
        assertThrows(IllegalStateException.class, reader::request);
    }

    @Test
    void startsIncomplete() {
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();

        assertEquals(Status.INCOMPLETE, reader.feed(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, reader::request);
        assertThrows(IllegalStateException.class, reader::rejection);
    }

    @Test
    void acceptsAHeadOfExactlyTheLimitAndRefusesOneByteMore() {
        String start = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        String exact = start + "x".repeat(HttpProtocol.MAX_HEAD_BYTES - start.length() - 4) + "\r\n\r\n";
        assertEquals(HttpProtocol.MAX_HEAD_BYTES, exact.length());
        request(exact);

        String over = start + "x".repeat(HttpProtocol.MAX_HEAD_BYTES - start.length() - 3) + "\r\n\r\n";
        ByteBuffer in = ByteBuffer.wrap(over.getBytes(ISO_8859_1));
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();
        assertEquals(Status.REJECTED, reader.feed(in));
        assertEquals(HttpProtocol.MAX_HEAD_BYTES + 1, in.position());
        Response response = parse(reader.rejection());
        assertEquals(431, response.status());
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", response.statusLine());
        assertEquals("request head over 8192 bytes: \"GET / HTTP/1.1\"", reader.rejection().reason());
    }

    @Test
    void refusesARequestLineOverTheLimitAt8193Bytes() {
        ByteBuffer in = ByteBuffer.wrap(("GET /?" + "a".repeat(20_000)).getBytes(ISO_8859_1));
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();

        assertEquals(Status.REJECTED, reader.feed(in));
        assertEquals(HttpProtocol.MAX_HEAD_BYTES + 1, in.position());
        assertEquals(431, reader.rejection().status());
        // the log shows the line's start and its end, not 8 KiB
        assertEquals("request head over 8192 bytes: \"GET /?" + "a".repeat(122) + "\" ... \"" + "a".repeat(128) + "\"",
                reader.rejection().reason());
    }

    @Test
    void rejectionIsACompleteShortPlainTextResponse() {
        Response response = parse(rejection("GET /nothing-here HTTP/1.1\r\nHost: a\r\n\r\n"));

        assertEquals("HTTP/1.1 404 Not Found", response.statusLine());
        assertEquals("text/plain; charset=utf-8", response.header("Content-Type"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals("404 Not Found: only / is served\n", response.body());
        assertEquals(response.body().length(), Integer.parseInt(response.header("Content-Length")));
    }

    @Test
    void everyStatusHasItsLine() {
        assertAll(
                () -> assertEquals("HTTP/1.1 400 Bad Request", parse(rejection("GET /\u0000")).statusLine()),
                () -> assertEquals("HTTP/1.1 405 Method Not Allowed",
                        parse(rejection("PUT / HTTP/1.1\r\nHost: a\r\n\r\n")).statusLine()),
                () -> assertEquals("HTTP/1.1 505 HTTP Version Not Supported",
                        parse(rejection("GET / HTTP/3.0\r\n\r\n")).statusLine()));
    }

    @Test
    void methodNotAllowedSaysWhichAre() {
        Response response = parse(rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"));

        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.header("Allow"));
        assertEquals("405 Method Not Allowed: only GET and HEAD are allowed\n", response.body());
    }

    @Test
    void anErrorForHeadHasTheHeadersButNoBody() {
        HttpResponse rejection = rejection("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n");
        Response response = parse(rejection);

        assertEquals(404, response.status());
        assertEquals("", response.body());
        assertEquals("404 Not Found: only / is served\n".length(), Integer.parseInt(response.header("Content-Length")));
        assertEquals("", parse(rejection("HEAD /\u0001")).body());
        assertTrue(parse(rejection("HEADS /\u0001")).body().startsWith("400 Bad Request"));
    }

    @Test
    void eachRejectionCallGetsBuffersOfItsOwn() {
        HttpRequestReader reader = read("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpResponse first = reader.rejection();
        first.head().position(first.head().limit());
        first.body().position(first.body().limit());

        HttpResponse second = reader.rejection();
        assertNotSame(first.head(), second.head());
        assertTrue(second.head().hasRemaining() && second.body().hasRemaining());
        assertEquals(0, second.head().position());
    }

    @Test
    void givesEachConnectionItsOwnReader() {
        HttpRequestReader first = Exchange.PROTOCOL.newReader();
        HttpRequestReader second = Exchange.PROTOCOL.newReader();
        assertNotSame(first, second);

        first.feed(ByteBuffer.wrap("GET /?offset=1 HT".getBytes(ISO_8859_1)));
        second.feed(ByteBuffer.wrap("HEAD /?offset=2 HTTP/1.0\r\n\r\n".getBytes(ISO_8859_1)));
        first.feed(ByteBuffer.wrap("TP/1.0\r\n\r\n".getBytes(ISO_8859_1)));

        assertEquals("GET /?offset=1", first.request().line());
        assertEquals("HEAD /?offset=2", second.request().line());
    }

    private static void assertOutcome(Case c, Split.Outcome actual) {
        assertAll(c.toString(),
                () -> assertEquals(c.status(), actual.status(), () -> "status; " + actual.reason()),
                () -> assertEquals(c.consumed(), actual.consumed(), "bytes consumed"),
                () -> {
                    if (c.status() == Status.COMPLETE) {
                        assertEquals(c.outcome(), actual.line());
                    } else {
                        assertEquals(c.code(), actual.code(), "status code");
                        assertEquals(c.outcome(), actual.reason());
                    }
                });
    }
}
