package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP on the offset protocol's port, as its clients meet it: curl, wget,
 * Python's http.client, Java's HttpClient, raw requests for every error
 * status, Server-Sent Events resumed with Last-Event-ID, the viewer page in
 * a real headless Chromium, a real nginx in front; and HTTPS.
 */
class HttpIT {

    @TempDir
    Path dir;

    private TailsrvProcess serve(Path file, int port, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("-p", "" + port));
        args.addAll(List.of(more));
        args.add(file.toString());
        return TailsrvProcess.start(args.toArray(String[]::new)).awaitListening();
    }

    @Test
    void curlFollowsFromAnOffsetAndFromARangeAndRawClientsShareThePort() throws Exception {
        Path file = write(dir, "curl.log", "0123456789abcdefghij");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port);
                Client raw = Client.request(port, "-5")) {
            Process offset = start("curl", "-sN", "http://127.0.0.1:" + port + "/?offset=-10");
            Process range = start("curl", "-sN", "-H", "Range: bytes=-4", "http://127.0.0.1:" + port + "/");
            try {
                assertEquals("abcdefghij", read(offset.getInputStream(), 10));
                assertEquals("ghij", read(range.getInputStream(), 4));
                assertEquals("fghij", raw.readString(5));
                append(file, "KLM");
                assertEquals("KLM", read(offset.getInputStream(), 3), "curl -N follows the file");
                assertEquals("KLM", read(range.getInputStream(), 3));
                assertEquals("KLM", raw.readString(3), "a raw client on the same port is unaffected");
            } finally {
                offset.destroy();
                range.destroy();
            }
            server.awaitLog("connected: requested GET /\\?offset=-10, starting at 10 of 20 bytes", WAIT);
        }
    }

    @Test
    void finiteRangesHeadAndResumedDownloads() throws Exception {
        byte[] content = new byte[200_000];
        new Random(15).nextBytes(content);
        Path file = dir.resolve("download.bin");
        Files.write(file, content);
        int port = Client.freePort();
        String url = "http://127.0.0.1:" + port + "/";
        try (TailsrvProcess server = serve(file, port)) {
            Process ranged = start("curl", "-s", "-r", "0-999", "-D", dir.resolve("range.head").toString(), url);
            assertArrayEquals(Arrays.copyOf(content, 1000), ranged.getInputStream().readAllBytes());
            assertTrue(ranged.waitFor(10, TimeUnit.SECONDS));
            String head = Files.readString(dir.resolve("range.head"));
            assertTrue(head.startsWith("HTTP/1.1 206"), head);
            assertTrue(head.contains("Content-Range: bytes 0-999/" + content.length), head);

            Process heads = start("curl", "-sI", url);
            String headers = new String(heads.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
            assertTrue(headers.contains("Content-Length: " + content.length), headers);

            Path partial = dir.resolve("wget/download.bin");
            Files.createDirectories(partial.getParent());
            Files.write(partial, Arrays.copyOf(content, 50_000));
            Process wget = new ProcessBuilder("wget", "-q", "-c", "-O", partial.toString(), url + "?follow=0")
                    .redirectErrorStream(true).start();
            assertTrue(wget.waitFor(30, TimeUnit.SECONDS), "wget -c ends");
            assertEquals(0, wget.exitValue(), new String(wget.getInputStream().readAllBytes()));
            assertArrayEquals(content, Files.readAllBytes(partial), "wget -c resumed the download byte-exact");
            assertTrue(server.logged("GET /\\?follow=0").size() >= 1);
        }
    }

    @Test
    void pythonAndJavaClientsStream() throws Exception {
        Path file = write(dir, "clients.log", "one\ntwo\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port)) {
            Process python = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import http.client, sys",
                    "c = http.client.HTTPConnection('127.0.0.1', " + port + ")",
                    "c.request('GET', '/?offset=0')",
                    "r = c.getresponse()",
                    "print(r.status, r.getheader('Tailsrv-Offset'), flush=True)",
                    "while True:",
                    "    b = r.read1(64)",
                    "    if not b: break",
                    "    sys.stdout.buffer.write(b); sys.stdout.flush()")).start();
            HttpClient java = HttpClient.newHttpClient();
            HttpResponse<InputStream> response = java.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/?offset=-4")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try {
                assertEquals(200, response.statusCode());
                assertEquals("4", response.headers().firstValue("Tailsrv-Offset").orElseThrow());
                assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
                assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElseThrow());
                assertEquals("two\n", read(response.body(), 4));
                assertEquals("200 0\none\ntwo\n", read(python.getInputStream(), 14));
                append(file, "three\n");
                assertEquals("three\n", read(response.body(), 6), "Java's HttpClient follows");
                assertEquals("three\n", read(python.getInputStream(), 6), "Python's http.client follows");
            } finally {
                python.destroy();
                response.body().close();
            }
        }
    }

    @Test
    void everyErrorStatusIsAShortResponseThenTheEnd() throws Exception {
        Path file = write(dir, "errors.log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port)) {
            assertStatus(port, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404);
            assertStatus(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405);
            assertStatus(port, "GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=500-600\r\n\r\n", 416);
            assertStatus(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(9000) + "\r\n\r\n", 431);
            assertStatus(port, "GET / HTTP/1.1 junk\r\n\r\n", 400);
            assertTrue(server.logged("rejected: 40[045]|rejected: 431|answered 416").size() >= 4, server.stderr().toString());
            try (Client raw = Client.request(port, "0")) {
                assertEquals("0123456789", raw.readString(10), "the instance carries on");
            }
        }
    }

    private static void assertStatus(int port, String request, int status) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 " + status + " "), request.lines().findFirst().orElseThrow()
                    + " -> " + response);
        }
    }

    /**
     * Server-Sent Events: one event per line, its id the offset after it. A
     * client that drops and reconnects with Last-Event-ID (as EventSource
     * does) misses nothing and repeats nothing.
     */
    @Test
    void eventSourceResumesExactlyAfterTheLastEvent() throws Exception {
        Path file = write(dir, "events.log", "");
        int port = Client.freePort();
        List<String> written = new ArrayList<>();
        try (TailsrvProcess server = serve(file, port)) {
            List<String> received = new ArrayList<>();
            String lastId = null;
            int next = 0;
            for (int session = 0; session < 5; session++) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) WAIT.toMillis());
                    socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                            + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    EventReader events = new EventReader(socket.getInputStream());
                    assertTrue(events.head().startsWith("HTTP/1.1 200"), events.head());
                    assertTrue(events.head().contains("Content-Type: text/event-stream"), events.head());
                    for (int i = 0; i < 20; i++) {
                        String line = "event " + next++;
                        written.add(line);
                        append(file, line + "\n");
                    }
                    int take = 7 + session; // leave part of each session's events unread: they come again
                    for (int i = 0; i < take; i++) {
                        String[] event = events.next();
                        received.add(event[1]);
                        lastId = event[0];
                    }
                }
            }
            String[] tail;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) WAIT.toMillis());
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nLast-Event-ID: "
                        + lastId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                EventReader events = new EventReader(socket.getInputStream());
                events.head();
                while (received.size() < written.size()) {
                    tail = events.next();
                    received.add(tail[1]);
                    lastId = tail[0];
                }
            }
            assertEquals(written, received, "every line once, in order, across six connections");
            assertEquals(Files.size(file), Long.parseLong(lastId), "the last id is the offset after the last line");
            System.out.println("HttpIT events: " + written.size() + " lines over 6 EventSource connections resumed with"
                    + " Last-Event-ID: 0 missing, 0 repeated");
            assertTrue(server.isAlive());
        }
    }

    /** The viewer page in a real headless Chromium: lines appear as they are appended, and again after a restart. */
    @Test
    void theViewerPageFollowsTheFileInABrowser() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium is not installed (.ci/run installs it): no browser test");
        Path file = write(dir, "page.log", "first line\n");
        int port = Client.freePort();
        TailsrvProcess server = serve(file, port);
        try (Browser browser = Browser.open("http://127.0.0.1:" + port + "/", dir.resolve("profile"),
                Client.freePort())) {
            browser.await("the first line shows", WAIT, "document.body.innerText.includes('first line')");
            append(file, "second line\n");
            browser.await("an appended line shows", WAIT, "document.body.innerText.includes('second line')");
            server.close();
            server = serve(file, port);
            append(file, "after the restart\n");
            browser.await("the page reconnected by itself", Duration.ofSeconds(30),
                    "document.body.innerText.includes('after the restart')");
            assertEquals("1", browser.evaluate("document.body.innerText.split('second line').length - 1"),
                    "nothing shown twice after the reconnection");
        } finally {
            server.close();
        }
    }

    /** Behind a real nginx with proxy_buffering off, an append reaches curl through the proxy. */
    @Test
    void anAppendReachesCurlThroughNginx() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed (.ci/run installs it)");
        Path file = write(dir, "proxied.log", "through nginx\n");
        int port = Client.freePort();
        int proxyPort = Client.freePort();
        Path conf = write(dir, "nginx.conf", String.join("\n",
                "daemon off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("nginx-error.log") + ";",
                "events { }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  server {",
                "    listen 127.0.0.1:" + proxyPort + ";",
                "    location /logs/proxied/ {",
                "      proxy_pass http://127.0.0.1:" + port + "/;",
                "      proxy_http_version 1.1;",
                "      proxy_buffering off;",
                "      proxy_read_timeout 1h;",
                "    }",
                "  }",
                "}", ""));
        try (TailsrvProcess server = serve(file, port)) {
            Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-c", conf.toString(), "-p", dir.toString())
                    .redirectErrorStream(true).start();
            Process curl = null;
            try {
                TestSupport.await("nginx listens", WAIT, () -> {
                    try (Socket probe = new Socket("127.0.0.1", proxyPort)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
                curl = start("curl", "-sN", "http://127.0.0.1:" + proxyPort + "/logs/proxied/?offset=0");
                assertEquals("through nginx\n", read(curl.getInputStream(), 14));
                append(file, "appended\n");
                assertEquals("appended\n", read(curl.getInputStream(), 9), "the append came through the proxy");
            } finally {
                if (curl != null) {
                    curl.destroy();
                }
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void httpsServesTheSameWithATlsRawClientBeside() throws Exception {
        assumeTrue(Pki.available(), "openssl is not installed: no certificates");
        Pki pki = Pki.make(dir.resolve("pki"));
        Path file = write(dir, "secure.log", "secure\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, "--tls-cert", pki.file("server.pem").toString(),
                "--tls-key", pki.file("server-key.pem").toString())) {
            Process curl = start("curl", "-sN", "--cacert", pki.file("ca.pem").toString(),
                    "https://localhost:" + port + "/?offset=0");
            try (SSLSocket raw = pki.connect(port, null)) {
                raw.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("secure\n", read(curl.getInputStream(), 7));
                assertEquals("secure\n", new String(raw.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
                append(file, "more\n");
                assertEquals("more\n", read(curl.getInputStream(), 5), "curl over HTTPS follows");
                assertEquals("more\n", new String(raw.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            } finally {
                curl.destroy();
            }
            server.awaitLog("connected: requested GET /\\?offset=0", WAIT);
        }
    }

    // ---- helpers ----

    private static Process start(String... command) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** {@code n} bytes from a stream, as text, or a failure after {@link TestSupport#WAIT}. */
    private static String read(InputStream in, int n) throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return new String(read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.ISO_8859_1);
        } catch (TimeoutException e) {
            throw new AssertionError("no " + n + " bytes within " + WAIT);
        }
    }

    /** Reads a response head, then Server-Sent Events as EventSource would: the id and data of each. */
    private static final class EventReader {
        private final InputStream in;
        private String head;

        EventReader(InputStream in) {
            this.in = in;
        }

        String head() throws IOException {
            if (head == null) {
                StringBuilder text = new StringBuilder();
                while (!text.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new AssertionError("the head ended early: " + text);
                    }
                    text.append((char) b);
                }
                head = text.toString();
            }
            return head;
        }

        /** The next event's id and data. */
        String[] next() throws IOException {
            head();
            String id = null;
            StringBuilder data = null;
            while (true) {
                String line = line();
                if (line.isEmpty()) {
                    if (data != null) {
                        return new String[] {id, data.toString()};
                    }
                    continue;
                }
                if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new AssertionError("the stream ended");
                }
                bytes.write(b);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
