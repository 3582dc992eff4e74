package io.tailsrv.http.internal;

import static io.tailsrv.http.internal.Exchange.TEXT;
import static io.tailsrv.http.internal.Exchange.get;
import static io.tailsrv.http.internal.Exchange.head;
import static io.tailsrv.http.internal.Exchange.parse;
import static io.tailsrv.http.internal.Exchange.request;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tailsrv.api.HttpRequest;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.http.internal.Exchange.Response;

/** The answers to well-formed requests, for files of every size, a missing one included (-1). */
class FileRequestTest {

    /** What Chromium sends when a page is opened. */
    private static final String BROWSER =
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
                    + "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    private static final String EVENTS = "Accept: text/event-stream";

    // ---- GET /: streaming ----

    @Test
    void getStreamsTheFileFromTheStartWithTheHeadersTheIssueNames() {
        HttpResponse answer = get("/", 1000, "Accept: */*");
        Response response = parse(answer);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("date", Exchange.DATE);
        expected.put("content-type", TEXT);
        expected.put("x-content-type-options", "nosniff");
        expected.put("cache-control", "no-store");
        expected.put("x-accel-buffering", "no");
        expected.put("accept-ranges", "bytes");
        expected.put("vary", "Accept");
        expected.put("tailsrv-offset", "0");
        expected.put("connection", "close");
        assertAll(
                () -> assertEquals("HTTP/1.1 200 OK", response.statusLine()),
                () -> assertEquals(expected, response.headers(), "no Content-Length: the body ends with the connection"),
                () -> assertTrue(answer.streamsFile()),
                () -> assertEquals(0, answer.start()),
                () -> assertEquals(-1, answer.end()),
                () -> assertFalse(answer.events()));
    }

    @Test
    void theContentTypeIsTheInstancesOwn() {
        HttpResponse answer = request(Exchange.requestHead("GET", "/")).respond(5, "application/x-ndjson");

        assertEquals("application/x-ndjson", parse(answer).header("Content-Type"));
    }

    @ParameterizedTest(name = "?offset={0} of {1} bytes starts at {2}")
    @CsvSource({
        "0, 1000, 0",
        "5, 1000, 5",
        "+5, 1000, 5",
        "1000, 1000, 1000",
        "5000, 1000, 5000",
        "-100, 1000, 900",
        "-1000, 1000, 0",
        "-2000, 1000, 0",
        "-0, 1000, 0",
        "-9223372036854775808, 1000, 0",
        "9223372036854775807, 1000, 9223372036854775807",
        "-100, 0, 0",
        "-100, -1, 0",
        "7, -1, 7",
    })
    void anOffsetStartsWhereTheOffsetHeaderWould(String offset, long size, long start) {
        HttpResponse answer = get("/?offset=" + offset.replace("+", "%2B"), size);

        assertEquals(start, answer.start());
        assertEquals(-1, answer.end());
        assertEquals(Long.toString(start), parse(answer).header("Tailsrv-Offset"));
    }

    @Test
    void aPlusInTheQueryIsAPlusSign() {
        assertEquals(5, get("/?offset=+5", 100).start());
    }

    @Test
    void anAbsoluteTargetIsServedAsItsPath() {
        assertEquals(90, get("http://tailsrv.test:4321/?offset=-10", 100).start());
        assertEquals(0, get("http://tailsrv.test:4321", 100).start());
    }

    @Test
    void unknownParametersAreIgnored() {
        assertEquals(3, get("/?_=1733562000&offset=3&utm_source=x", 100).start());
    }

    // ---- ?follow=0: finite ----

    @ParameterizedTest(name = "?offset={0}&follow=0 of {1} bytes: [{2}, {3})")
    @CsvSource({
        "0, 1000, 0, 1000",
        "-100, 1000, 900, 1000",
        "-5000, 1000, 0, 1000",
        "400, 1000, 400, 1000",
    })
    void followZeroSendsWhatExistsNowWithItsLength(String offset, long size, long start, long end) {
        HttpResponse answer = get("/?follow=0&offset=" + offset, size);
        Response response = parse(answer);

        assertEquals(200, response.status());
        assertEquals(Long.toString(end - start), response.header("Content-Length"));
        assertEquals(Long.toString(start), response.header("Tailsrv-Offset"));
        assertNull(response.header("Content-Range"));
        assertTrue(answer.streamsFile());
        assertEquals(start, answer.start());
        assertEquals(end, answer.end());
    }

    @ParameterizedTest(name = "?offset={0}&follow=0 of {1} bytes: nothing")
    @CsvSource({"0, 0", "0, -1", "1000, 1000", "2000, 1000", "-5, -1"})
    void followZeroWithNothingToSendIsAnEmptyOk(String offset, long size) {
        HttpResponse answer = get("/?follow=0&offset=" + offset, size);
        Response response = parse(answer);

        assertEquals(200, response.status());
        assertEquals("0", response.header("Content-Length"));
        assertFalse(answer.streamsFile());
        assertEquals("", response.body());
    }

    @Test
    void followOneIsTheDefault() {
        assertEquals(-1, get("/?follow=1", 10).end());
    }

    // ---- Range ----

    @ParameterizedTest(name = "{0} of {1} bytes: 206 {2}")
    @CsvSource({
        "bytes=0-999, 5000, 0-999/5000, 0, 1000",
        "bytes=0-999, 500, 0-499/500, 0, 500",
        "bytes=0-0, 1, 0-0/1, 0, 1",
        "bytes=10-19, 20, 10-19/20, 10, 20",
        "bytes=10-99999999999999999999999, 20, 10-19/20, 10, 20",
        "Bytes=5-6, 20, 5-6/20, 5, 7",
        "'bytes=,  3-4 ,', 20, 3-4/20, 3, 5",
    })
    void aClosedRangeIsAFinite206EvenWhenFollowing(String range, long size, String contentRange, long start,
            long end) {
        HttpResponse answer = get("/", size, "Range: " + range);
        Response response = parse(answer);

        assertEquals("HTTP/1.1 206 Partial Content", response.statusLine());
        assertEquals("bytes " + contentRange, response.header("Content-Range"));
        assertEquals(Long.toString(end - start), response.header("Content-Length"));
        assertEquals(Long.toString(start), response.header("Tailsrv-Offset"));
        assertEquals(TEXT, response.header("Content-Type"));
        assertEquals(start, answer.start());
        assertEquals(end, answer.end());
        assertTrue(answer.streamsFile());
    }

    @ParameterizedTest(name = "{0} of {1} bytes, following: 200 from {2}")
    @CsvSource({
        "bytes=100-, 1000, 100",
        "bytes=5000-, 1000, 5000",
        "bytes=-100, 1000, 900",
        "bytes=-5000, 1000, 0",
        "bytes=-0, 1000, 1000",
        "bytes=-100, -1, 0",
    })
    void anOpenRangeThatFollowsOnlySaysWhereToStart(String range, long size, long start) {
        HttpResponse answer = get("/", size, "Range: " + range);
        Response response = parse(answer);

        assertEquals(200, response.status());
        assertNull(response.header("Content-Range"));
        assertNull(response.header("Content-Length"));
        assertEquals(Long.toString(start), response.header("Tailsrv-Offset"));
        assertEquals(start, answer.start());
        assertEquals(-1, answer.end());
    }

    @ParameterizedTest(name = "{0} of {1} bytes with follow=0: 206 {2}")
    @CsvSource({
        "bytes=10-, 100, 10-99/100, 10, 100",
        "bytes=0-, 100, 0-99/100, 0, 100",
        "bytes=-10, 100, 90-99/100, 90, 100",
        "bytes=-500, 100, 0-99/100, 0, 100",
        "bytes=10-19, 100, 10-19/100, 10, 20",
    })
    void withFollowZeroEveryRangeIsA206(String range, long size, String contentRange, long start, long end) {
        HttpResponse answer = get("/?follow=0", size, "Range: " + range);
        Response response = parse(answer);

        assertEquals(206, response.status());
        assertEquals("bytes " + contentRange, response.header("Content-Range"));
        assertEquals(Long.toString(end - start), response.header("Content-Length"));
        assertEquals(start, answer.start());
        assertEquals(end, answer.end());
    }

    @ParameterizedTest(name = "{0}{1} of {2} bytes: 416")
    @CsvSource({
        "bytes=100-, ?follow=0, 100",
        "bytes=200-, ?follow=0, 100",
        "bytes=0-, ?follow=0, 0",
        "bytes=0-, ?follow=0, -1",
        "bytes=-0, ?follow=0, 100",
        "bytes=-10, ?follow=0, 0",
        "bytes=100-199, '', 100",
        "bytes=0-9, '', -1",
        "bytes=5-3, '', 100",
        "bytes=5-3, ?follow=0, 100",
    })
    void aRangeOfWhichNoByteExistsIs416(String range, String query, long size) {
        HttpResponse answer = get("/" + query, size, "Range: " + range);
        Response response = parse(answer);

        assertEquals("HTTP/1.1 416 Range Not Satisfiable", response.statusLine());
        assertEquals("bytes */" + Math.max(size, 0), response.header("Content-Range"));
        assertEquals("416 Range Not Satisfiable: no byte of the range exists\n", response.body());
        assertEquals("range not satisfiable: \"" + range + "\" of " + Math.max(size, 0) + " bytes", answer.reason());
        assertFalse(answer.streamsFile());
    }

    /** What {@code wget -c} sends to resume a download of 10 bytes, for a file of 25 and one of 10. */
    @Test
    void wgetContinuesWithA206AndStopsAtA416() {
        Response resumed = parse(get("/?follow=0", 25, "Range: bytes=10-"));
        Response done = parse(get("/?follow=0", 10, "Range: bytes=10-"));

        assertEquals(206, resumed.status());
        assertEquals("bytes 10-24/25", resumed.header("Content-Range"));
        assertEquals("15", resumed.header("Content-Length"));
        assertEquals(416, done.status(), "wget reads 416 as \"fully retrieved\"");
        assertEquals("bytes */10", done.header("Content-Range"));
    }

    @ParameterizedTest(name = "Range: {0} is ignored")
    @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-1, 3-", "lines=1-2", "x-rows=-5"})
    void severalRangesOrAnotherUnitAreIgnored(String range) {
        assertEquals(200, get("/?offset=3", 100, "Range: " + range).status());
        assertEquals(3, get("/?offset=3", 100, "Range: " + range).start());
        assertEquals("100", parse(get("/?follow=0", 100, "Range: " + range)).header("Content-Length"));
    }

    @Test
    void ifRangeMakesTheRangeIgnoredSinceNoValidatorCanMatch() {
        HttpResponse answer = get("/?follow=0", 100, "Range: bytes=10-19", "If-Range: \"abc\"");

        assertEquals(200, answer.status());
        assertEquals(0, answer.start());
        assertEquals(100, answer.end());
    }

    // ---- HEAD ----

    @Test
    void headHasTheGetsHeadersWithTheCurrentSizeAndNoBody() {
        Response get = parse(get("/", 1234));
        HttpResponse answer = head("/", 1234);
        Response head = parse(answer);

        Map<String, String> expected = new LinkedHashMap<>(get.headers());
        expected.put("content-length", "1234");
        assertEquals(expected, head.headers());
        assertEquals(200, head.status());
        assertFalse(answer.streamsFile());
        assertEquals("", head.body());
    }

    @ParameterizedTest(name = "HEAD {0} of {1} bytes: Content-Length {2}")
    @CsvSource({
        "/, 0, 0",
        "/, -1, 0",
        "/?offset=-100, 1000, 100",
        "/?offset=2000, 1000, 0",
        "/?follow=0&offset=10, 1000, 990",
    })
    void headSaysHowMuchAGetWouldSendNow(String target, long size, long length) {
        Response response = parse(head(target, size));

        assertEquals(200, response.status());
        assertEquals(Long.toString(length), response.header("Content-Length"));
        assertEquals("", response.body());
    }

    @Test
    void headIgnoresRangeAsRfc9110Requires() {
        Response response = parse(head("/", 1000, "Range: bytes=0-9"));

        assertEquals(200, response.status());
        assertEquals("1000", response.header("Content-Length"));
        assertNull(response.header("Content-Range"));
    }

    // ---- Server-Sent Events ----

    @Test
    void eventStreamAcceptGetsEvents() {
        HttpResponse answer = get("/?offset=-100", 1000, EVENTS);
        Response response = parse(answer);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("date", Exchange.DATE);
        expected.put("content-type", "text/event-stream");
        expected.put("x-content-type-options", "nosniff");
        expected.put("cache-control", "no-store");
        expected.put("x-accel-buffering", "no");
        expected.put("vary", "Accept");
        expected.put("tailsrv-offset", "900");
        expected.put("connection", "close");
        assertEquals(expected, response.headers());
        assertTrue(answer.streamsFile());
        assertTrue(answer.events());
        assertEquals(900, answer.start());
        assertEquals(-1, answer.end());
    }

    @ParameterizedTest(name = "Last-Event-ID {0} of {1} bytes: from {2}")
    @CsvSource({
        "500, 1000, 500",
        "1000, 1000, 1000",
        "0, 1000, 0",
        "1001, 1000, 0",
        "5, -1, 0",
    })
    void lastEventIdResumesThereAndOverridesTheOffset(long id, long size, long start) {
        HttpResponse answer = get("/?offset=-10", size, EVENTS, "Last-Event-ID: " + id);

        assertEquals(start, answer.start());
        assertTrue(answer.events());
    }

    @Test
    void eventsFollowWhateverRangeOrFollowSay() {
        HttpResponse answer = get("/?follow=0", 1000, EVENTS, "Range: bytes=0-9");

        assertTrue(answer.events());
        assertEquals(-1, answer.end());
        assertEquals(200, answer.status());
    }

    @Test
    void lastEventIdOutsideEventsIsIgnored() {
        assertEquals(0, get("/", 100, "Last-Event-ID: 50").start());
    }

    @Test
    void headOfEventsHasTheirHeadersAndNoBody() {
        HttpResponse answer = head("/", 100, EVENTS);
        Response response = parse(answer);

        assertEquals("text/event-stream", response.header("Content-Type"));
        assertNull(response.header("Content-Length"));
        assertFalse(answer.streamsFile());
        assertEquals("", response.body());
    }

    // ---- negotiation ----

    @ParameterizedTest(name = "[{index}] Accept: {0} gets {1}")
    @CsvSource(delimiter = '|', value = {
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | page",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | page",
        "TEXT/HTML | page",
        "text/html | page",
        "text/html;q=0.9, text/plain;q=0.8 | page",
        "*/* | file",
        "text/* | file",
        "text/plain, text/html | file",
        "text/html;q=0.9, text/plain | file",
        "text/html;q=0, */* | file",
        "text/html;q=2, */*;q=0.1 | file",
        "text/html;level=1;q=0.5, text/plain;q=0.4 | page",
        "application/json | file",
        "garbage, ;;, /, */ | file",
        "text/event-stream | events",
        "text/event-stream, */* | events",
        "text/event-stream, text/html | events",
        "text/event-stream;q=0.5, text/plain | file",
        "text/event-stream;q=0 | file",
        "*/*;q=0.1, text/event-stream;q=0.1 | events",
        "text/html;q=0.001, text/event-stream;q=0.002 | events",
        "text/html;q=0.002, text/event-stream;q=0.001 | page",
    })
    void acceptChoosesTheFileTheEventsOrThePage(String accept, String expected) {
        HttpResponse answer = get("/", 100, "Accept: " + accept);

        String got = answer.events() ? "events" : answer.streamsFile() ? "file" : "page";
        assertEquals(expected, got);
    }

    @Test
    void severalAcceptFieldsCountAsOne() {
        assertTrue(get("/", 100, "Accept: text/plain;q=0.1", "Accept: text/event-stream").events());
    }

    @Test
    void anHtmlFileStillGoesAsItselfToABrowser() {
        HttpResponse answer = request(Exchange.requestHead("GET", "/", BROWSER)).respond(100, "text/html; charset=utf-8");

        assertTrue(answer.streamsFile());
    }

    // ---- the page ----

    @Test
    void aBrowserGetsThePageWithAStrictPolicy() {
        HttpResponse answer = get("/?offset=-5", 100, BROWSER);
        Response response = parse(answer);
        ViewerPage page = ViewerPage.load();

        assertEquals(200, response.status());
        assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
        assertEquals(Integer.toString(page.length()), response.header("Content-Length"));
        assertEquals(page.contentSecurityPolicy(), response.header("Content-Security-Policy"));
        assertTrue(response.header("Content-Security-Policy").startsWith("default-src 'none'; script-src 'sha256-"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals("no-referrer", response.header("Referrer-Policy"));
        assertEquals("Accept", response.header("Vary"));
        assertEquals(Exchange.text(page.body()), response.body());
        assertFalse(answer.streamsFile());
    }

    @Test
    void everyPageResponseHasABodyOfItsOwn() {
        HttpResponse first = get("/", 100, BROWSER);
        first.body().position(first.body().limit());

        assertTrue(get("/", 100, BROWSER).body().hasRemaining());
    }

    @Test
    void headOfThePageHasNoBody() {
        Response response = parse(head("/", 100, BROWSER));

        assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
        assertEquals(Integer.toString(ViewerPage.load().length()), response.header("Content-Length"));
        assertEquals("", response.body());
    }

    // ---- the request itself ----

    @Test
    void itsLineIsTheMethodAndTargetForTheLog() {
        assertEquals("GET /?offset=-100", request(Exchange.requestHead("GET", "/?offset=-100")).line());
        assertEquals("HEAD http://h/", request(Exchange.requestHead("HEAD", "http://h/")).line());
    }

    @Test
    void refusesAFileSizeBelowMinusOne() {
        HttpRequest request = request(Exchange.requestHead("GET", "/"));

        assertThrows(IllegalArgumentException.class, () -> request.respond(-2, TEXT));
    }

    @Test
    void answersTheSameRequestForAnySizeAgain() {
        HttpRequest request = request(Exchange.requestHead("GET", "/?offset=-10"));

        assertEquals(0, request.respond(-1, TEXT).start());
        assertEquals(90, request.respond(100, TEXT).start());
    }

    @Test
    void anHttp10RequestNeedsNoHost() {
        assertEquals(200, request("GET /?follow=0 HTTP/1.0\r\n\r\n").respond(7, TEXT).status());
    }
}
