package io.tailsrv.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.http.internal.Exchange.Response;
import io.tailsrv.http.internal.Split.Outcome;

/**
 * Requests as real clients sent them (captured from a socket on this
 * machine: curl 7.88, Wget 1.21, Python 3.11's http.client and urllib,
 * Java 17's HttpClient, nginx 1.22 as a reverse proxy, and Chromium 156's
 * navigation and EventSource), read whole and split at every byte, and
 * answered for a file of 5000 bytes. Real clients against the real server
 * are the server's integration tests; this is what they send.
 */
class CapturedClientsTest {

    private static final long SIZE = 5000;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        // file | what sent it | status | start | end (-1: follows) | what follows the head
        "curl-N-offset      | curl -N 'http://HOST/?offset=-1000'                  | 200 | 4000 | -1   | file",
        "curl-N-range       | curl -N -H 'Range: bytes=-1000' http://HOST/         | 200 | 4000 | -1   | file",
        "curl-r             | curl -r 0-999 http://HOST/                           | 206 | 0    | 1000 | file",
        "curl-I             | curl -I http://HOST/                                 | 200 | 0    | 0    | nothing",
        "curl-C             | curl -C 10 -o f 'http://HOST/?follow=0'              | 206 | 10   | 5000 | file",
        "curl-proxy         | curl -x PROXY 'http://webserver:4321/?offset=-5'     | 200 | 4995 | -1   | file",
        "curl-sse           | curl -N -H 'Accept: text/event-stream' -H 'Last-Event-ID: 4242' | 200 | 4242 | -1 | events",
        "curl-http10        | curl -0 http://HOST/                                 | 200 | 0    | -1   | file",
        "wget-c             | wget -c 'http://HOST/?follow=0' (10 bytes already there) | 206 | 10 | 5000 | file",
        "python-http-client | http.client: request('GET', '/?offset=-1000&follow=0') | 200 | 4000 | 5000 | file",
        "python-urllib      | urllib.request.urlopen('http://HOST/?offset=5')     | 200 | 5    | -1   | file",
        "java-httpclient    | HttpClient, HTTP/1.1, Range: bytes=100-, ?follow=0   | 206 | 100  | 5000 | file",
        "nginx-proxied      | nginx proxy_pass of curl -N -H 'Accept: text/event-stream' -H 'Last-Event-ID: 77' | 200 | 77 | -1 | events",
        "nginx-proxied-head | nginx proxy_pass of curl -I                          | 200 | 0    | 0    | nothing",
        "chromium-navigation | Chromium opening http://HOST/                       | 200 | 0    | 0    | page",
        "chromium-eventsource | the page's EventSource, ?offset=-65536              | 200 | 0    | -1   | events",
        "chromium-eventsource-resumed | the page's EventSource, reconnecting, Last-Event-ID: 2511 | 200 | 2511 | -1 | events",
    })
    void answersWhatRealClientsSend(String file, String sentBy, int status, long start, long end, String then) {
        byte[] request = capture(file);
        Outcome whole = Split.feed(request, false);
        assertEquals(Status.COMPLETE, whole.status(), () -> sentBy + ": " + whole.reason());
        assertEquals(request.length, whole.consumed());
        for (int cut = 0; cut <= request.length; cut++) {
            assertEquals(whole, Split.feed(request, cut % 2 == 1, cut), sentBy + " split at " + cut);
        }

        HttpResponse answer = reader(request).request().respond(SIZE, Exchange.TEXT);
        Response response = Exchange.parse(answer);
        assertEquals(status, response.status(), sentBy);
        assertEquals(start, answer.start(), sentBy);
        switch (then) {
            case "file" -> {
                assertTrue(answer.streamsFile(), sentBy);
                assertFalse(answer.events(), sentBy);
                assertEquals(end, answer.end(), sentBy);
            }
            case "events" -> {
                assertTrue(answer.events(), sentBy);
                assertEquals("text/event-stream", response.header("Content-Type"));
            }
            case "page" -> assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
            case "nothing" -> {
                assertEquals("", response.body(), sentBy);
                assertEquals(Long.toString(SIZE), response.header("Content-Length"));
            }
            default -> throw new AssertionError(then);
        }
        if (status != 206) {
            assertNull(response.header("Content-Range"));
        }
    }

    /** What {@code wget -c} does once the download is whole: it asks for more, and takes 416 as "done". */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"wget-c", "curl-C"})
    void aResumedDownloadThatIsWholeGets416(String file) {
        HttpResponse answer = reader(capture(file)).request().respond(10, Exchange.TEXT);

        assertEquals(416, answer.status());
        assertEquals("bytes */10", Exchange.parse(answer).header("Content-Range"));
    }

    private static HttpRequestReader reader(byte[] request) {
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();
        assertEquals(Status.COMPLETE, reader.feed(ByteBuffer.wrap(request)));
        return reader;
    }

    private static byte[] capture(String name) {
        try (InputStream in = CapturedClientsTest.class.getResourceAsStream("clients/" + name + ".http")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
