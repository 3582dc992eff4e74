package io.tailsrv.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium}), driven over the
 * DevTools protocol with the JDK's own WebSocket client: open a page, and
 * evaluate JavaScript in it. Just enough for the viewer page's test; no
 * browser-automation library needed.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> replies = new ConcurrentHashMap<>();

    private Browser(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    /** Starts Chromium headless on a page showing {@code url}. */
    static Browser open(String url, Path profile, int debugPort) throws Exception {
        Process process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=" + debugPort, url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient http = HttpClient.newHttpClient();
        String pages = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pages == null || !pages.contains("\"type\": \"page\"")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new AssertionError("Chromium's DevTools did not answer on port " + debugPort);
            }
            try {
                pages = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debugPort + "/json/list"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50); // the browser is starting: nothing announces when it listens
            }
        }
        Matcher target = Pattern.compile("\"webSocketDebuggerUrl\": \"(ws://[^\"]+/page/[^\"]+)\"").matcher(pages);
        if (!target.find()) {
            process.destroyForcibly();
            throw new AssertionError("no page in " + pages);
        }
        Browser[] browser = new Browser[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(target.group(1)), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    browser[0].received(message.toString());
                    message.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        browser[0] = new Browser(process, socket);
        return browser[0];
    }

    /** Evaluates {@code expression} in the page; its value as a string. */
    String evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":"
                + quote("String(" + expression + ")") + ",\"returnByValue\":true}}", true);
        String json = reply.get(30, TimeUnit.SECONDS);
        Matcher value = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!value.find()) {
            throw new AssertionError("no value in " + json);
        }
        return unquote(value.group(1));
    }

    /**
     * Evaluates {@code expression} until it holds, or fails after {@code timeout}. While the page is still loading
     * the expression may throw (no {@code document.body} yet): that counts as not yet.
     */
    void await(String what, Duration timeout, String expression) throws Exception {
        TestSupport.await(what, timeout,
                () -> "true".equals(evaluate("(() => { try { return " + expression + "; } catch (e) { return false; } })()")));
    }

    private void received(String message) {
        Matcher id = Pattern.compile("^\\{\"id\":(\\d+),").matcher(message);
        if (id.find()) {
            CompletableFuture<String> reply = replies.remove(Integer.parseInt(id.group(1)));
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static String unquote(String json) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = json.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
