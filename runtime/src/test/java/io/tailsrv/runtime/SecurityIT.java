package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.await;
import static io.tailsrv.runtime.TestSupport.readOrReset;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in, and what they can make tailsrv do: only the configured file
 * is ever sent, {@code allow} and {@code bind} keep others out, the console
 * listens on no port, the server runs unprivileged, and nothing a client
 * sends can forge a log line.
 */
class SecurityIT {

    private static final Pattern LOG_LINE =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO|WARN|ERROR) .*");

    @TempDir
    Path dir;

    /**
     * Paths, traversals, URLs, shell syntax and NUL bytes are headers like
     * any other: rejected, or (after a valid header line) read and dropped.
     * Every byte that comes back is the served file's; no other file is
     * ever opened.
     */
    @Test
    void nothingAClientSendsNamesAPath() throws Exception {
        Path served = write(dir, "served.log", "SERVED-CONTENT\n");
        write(dir, "secret.txt", "SECRET\n");
        Map<String, Boolean> attempts = new LinkedHashMap<>(); // what is sent, and whether it is a valid header
        for (String rejected : List.of("/etc/passwd\n", "../secret.txt\n", "secret.txt\n", "./secret.txt\n",
                "file:///etc/passwd\n", "GET /secret.txt HTTP/1.0\r\n\r\n", "0 /etc/passwd\n", "0/../secret.txt\n",
                "%2e%2e%2fsecret.txt\n", "\u0000/etc/passwd\n", "0\u0000../secret.txt\n", "-0\u0000\n",
                "~/secret.txt\n", "$(cat secret.txt)\n", "`cat /etc/passwd`\n", "0;cat /etc/passwd\n",
                dir.resolve("secret.txt") + "\n", "-1 " + dir.resolve("secret.txt") + "\n")) {
            attempts.put(rejected, false);
        }
        attempts.put("0\n../secret.txt\n", true);
        attempts.put("-15\n/etc/passwd\u0000\n", true);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, served.toString()).awaitListening()) {
            List<byte[]> received = new ArrayList<>();
            for (Map.Entry<String, Boolean> attempt : attempts.entrySet()) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(attempt.getKey().getBytes(StandardCharsets.ISO_8859_1));
                    byte[] bytes = readUntilClosedOr(socket, attempt.getValue() ? 15 : Integer.MAX_VALUE);
                    received.add(bytes);
                    String what = escape(attempt.getKey());
                    if (attempt.getValue()) {
                        assertEquals("SERVED-CONTENT\n", new String(bytes, StandardCharsets.ISO_8859_1), what);
                    } else if (Character.isLetter(attempt.getKey().charAt(0))) {
                        // a letter opens an HTTP request: a malformed one gets its 4xx and no more
                        String answer = new String(bytes, StandardCharsets.ISO_8859_1);
                        assertTrue(answer.matches("(?s)HTTP/1\\.1 4\\d\\d [^\r]*\r\n.*"), what + " got " + escape(answer));
                        assertFalse(answer.contains("SERVED-CONTENT"), what + " got " + escape(answer));
                    } else {
                        assertEquals(0, bytes.length, what + " got bytes back");
                    }
                }
            }
            long rejections = attempts.values().stream().filter(valid -> !valid).count();
            for (int i = 0; i < rejections; i++) {
                server.awaitLog("rejected: ", WAIT);
            }
            List<String> opened = ProcFs.fdTargets(server.pid());
            System.out.printf("SecurityIT paths: %d attempts to name a path (%d rejected, %d read as a header and "
                    + "ignored after it): %d bytes came back, the served file's and HTTP error answers; no other file open%n",
                    attempts.size(), rejections, attempts.size() - rejections,
                    received.stream().mapToInt(b -> b.length).sum());
            assertEquals(rejections, server.logged("rejected: ").size());
            for (byte[] bytes : received) {
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("SECRET") || text.contains("root:"), text);
            }
            assertTrue(opened.stream().noneMatch(target -> target.contains("secret") || target.contains("passwd")),
                    opened.toString());
        }
    }

    /**
     * With allow = 127.0.0.1/32, a peer at 127.0.0.2 (or ::1) is closed as
     * soon as it connects, long before the header timeout, without a byte
     * and without its header being read; 127.0.0.1 is served. Widening the
     * list live lets 127.0.0.2 in and keeps the clients already there.
     */
    @Test
    void allowRefusesOtherPeersBeforeReadingAHeader() throws Exception {
        Path log = write(dir, "guarded.log", "guarded\n");
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        config.serve("guarded", log, port, "allow = 127.0.0.1/32");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("guarded");
                Client local = Client.request(port, "0")) {
            assertEquals("guarded\n", local.readString(8), "127.0.0.1 is allowed");

            long start = System.nanoTime();
            try (Socket silent = from("127.0.0.2", port)) {
                assertEquals(-1, readOrReset(silent.getInputStream()), "127.0.0.2 is closed without a byte");
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (Socket speaking = from("127.0.0.2", port)) {
                speaking.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, readOrReset(speaking.getInputStream()), "a header does not help");
            }
            int refusedV6 = 0;
            if (hasIpv6Loopback()) {
                try (Socket v6 = new Socket()) {
                    v6.connect(new InetSocketAddress("::1", port), 10_000);
                    v6.setSoTimeout(10_000);
                    assertEquals(-1, readOrReset(v6.getInputStream()), "::1 is not in 127.0.0.1/32");
                    refusedV6 = 1;
                }
            }
            for (int i = 0; i < 2 + refusedV6; i++) {
                server.awaitLog("\\[guarded\\] (127\\.0\\.0\\.2|\\[::1]):\\d+ refused: not in allow list "
                        + "\\[127\\.0\\.0\\.1/32]", WAIT);
            }
            assertTrue(server.logged("rejected").isEmpty(), "no header was read: " + server.logged("rejected"));

            config.serve("guarded", log, port, "allow = 127.0.0.1/32, 127.0.0.2");
            server.awaitLog("\\[guarded\\] updated", WAIT);
            try (Socket now = from("127.0.0.2", port)) {
                now.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("guarded\n".getBytes(StandardCharsets.US_ASCII), now.getInputStream().readNBytes(8),
                        "127.0.0.2 is let in once allowed");
            }
            append(log, "still\n");
            assertEquals("still\n", local.readString(6), "the allowed client kept streaming through the edit");
            System.out.printf("SecurityIT allow: 127.0.0.2%s refused %d ms after connecting (header.timeout 30 s), "
                    + "no header read; allowed after a live edit, existing client kept%n",
                    refusedV6 == 1 ? " and ::1" : "", silentMillis);
            assertTrue(silentMillis < 1000, "refused only after " + silentMillis + " ms");
        }
    }

    /**
     * bind = 127.0.0.1 listens there only: not on 127.0.0.2 (another
     * loopback address of this host) nor on ::1. bind = ::1 listens on ::1
     * only. Without bind, every address answers.
     */
    @Test
    void bindIsHonouredForIpv4AndIpv6() throws Exception {
        boolean v6 = hasIpv6Loopback();
        Path log = write(dir, "bound.log", "bound");
        ConfigDir config = ConfigDir.under(dir);
        int v4Port = Client.freePort();
        int v6Port = Client.freePort();
        int anyPort = Client.freePort();
        List<String> names = new ArrayList<>(List.of("four", "any"));
        config.serve("four", log, v4Port, "bind = 127.0.0.1");
        if (v6) {
            config.serve("six", log, v6Port, "bind = ::1");
            names.add("six");
        }
        config.serve("any", log, anyPort);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config)
                .awaitInstancesListening(names.toArray(String[]::new))) {
            assertServed("127.0.0.1", v4Port);
            assertThrows(ConnectException.class, () -> from("127.0.0.2", "127.0.0.2", v4Port).close(),
                    "bind = 127.0.0.1 does not answer on 127.0.0.2");
            assertServed("127.0.0.1", anyPort);
            assertServed("127.0.0.2", anyPort);
            Set<String> listening = ProcFs.listeningTcp(server.pid());
            assertTrue(listening.contains("127.0.0.1:" + v4Port), listening.toString());
            if (v6) {
                assertThrows(ConnectException.class, () -> from("::1", "::1", v4Port).close(),
                        "bind = 127.0.0.1 does not answer on ::1");
                assertServed("::1", v6Port);
                assertThrows(ConnectException.class, () -> from("127.0.0.1", "127.0.0.1", v6Port).close(),
                        "bind = ::1 does not answer on 127.0.0.1");
                assertServed("::1", anyPort);
                assertTrue(listening.contains("00000000000000000000000001000000:" + v6Port), listening.toString());
            }
            System.out.printf("SecurityIT bind: listening %s; 127.0.0.1 only on %d%s, everywhere on %d%n",
                    listening, v4Port, v6 ? ", ::1 only on " + v6Port : " (no IPv6 loopback here)", anyPort);
        }
    }

    /**
     * With --console the process listens on the configured port and no
     * other, TCP or UDP: the console reads the terminal only.
     */
    @Test
    void theConsoleListensOnNoNetworkPort() throws Exception {
        Path log = write(dir, "c.log", "console");
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        config.serve("c", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config, "--console").awaitInstancesListening("c")) {
            server.stdin().write("tailsrv:list\n".getBytes(StandardCharsets.US_ASCII));
            server.stdin().flush();
            await(() -> "the console answers tailsrv:list: " + server.stdout(), WAIT,
                    () -> server.stdout().contains("SERVING"));
            Set<String> listening = ProcFs.listeningTcp(server.pid());
            Set<String> datagrams = ProcFs.datagramSockets(server.pid());
            System.out.printf("SecurityIT console: with --console the process listens on %s and has %d UDP/raw "
                    + "sockets%n", listening, datagrams.size());
            assertEquals(1, listening.size(), "listening: " + listening);
            assertTrue(listening.iterator().next().endsWith(":" + port), "listening: " + listening);
            assertTrue(datagrams.isEmpty(), "datagram sockets: " + datagrams);
            server.stdin().close();
            assertEquals(0, server.awaitExit(WAIT));
        }
    }

    /**
     * Started as nobody (setpriv: no capabilities, no groups), tailsrv
     * serves a world-readable file and follows it.
     */
    @Test
    void runsAsAnUnprivilegedUser() throws Exception {
        assumeTrue(TestSupport.isRoot(), "starting tailsrv as another user needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
        Path log = write(TestSupport.worldReadableDirectory(), "public.log", "public\n");
        TestSupport.openToEveryone(log);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.startAsNobody("-p", "" + port, log.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("public\n", client.readString(7));
            append(log, "more\n");
            assertEquals("more\n", client.readString(5));
            String uids = ProcFs.uids(server.pid());
            String nobody = uidOf("nobody");
            System.out.printf("SecurityIT user: tailsrv ran as uid %s (nobody = %s) and served%n",
                    uids.replaceAll("\\s+", "/"), nobody);
            for (String uid : uids.split("\\s+")) {
                assertEquals(nobody, uid, "real, effective, saved and file-system uid: " + uids);
            }
        }
    }

    /**
     * Carriage returns, newlines, terminal escapes, NUL, and bytes that some
     * terminals or log viewers take for line ends, sent as headers: each
     * gives exactly one rejection line, escaped, in plain printable ASCII;
     * bytes after a valid header are never logged. No line of tailsrv's
     * output is anything but a log record.
     */
    @Test
    void clientBytesCannotForgeLogLines() throws Exception {
        Path log = write(dir, "forge.log", "forge");
        List<String> hostile = List.of(
                "\rFORGED ERROR one\n",
                "-\n2026-01-01T00:00:00.000Z ERROR [forge.log] FORGED two\n",
                "1\u001b[2K\u001b[1GFORGED three\n",
                "  \t\u0000FORGED four\n",
                "7\u0085FORGED five\n",
                "7\u00e2\u0080\u00a8FORGED six\n",
                "\u001b]0;FORGED title\u0007\n",
                "   \n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, log.toString()).awaitListening()) {
            for (String payload : hostile) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) WAIT.toMillis());
                    socket.getOutputStream().write(payload.getBytes(StandardCharsets.ISO_8859_1));
                    assertEquals(-1, readOrReset(socket.getInputStream()), escape(payload));
                    String peer = "127.0.0.1:" + socket.getLocalPort() + " ";
                    String line = server.awaitLog(Pattern.quote(peer) + "rejected: ", WAIT);
                    assertTrue(line.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "not plain ASCII: " + escape(line));
                    List<String> about = server.logged(Pattern.quote(peer));
                    assertEquals(1, about.size(), about.toString());
                }
            }
            try (Client valid = Client.connect(port)) {
                valid.send("0\nFORGED seven\n\rFORGED eight\n");
                assertEquals("forge", valid.readString(5));
            }
            server.terminate();
            server.awaitExit(WAIT);
            List<String> lines = server.stderr();
            List<String> notRecords = lines.stream().filter(line -> !LOG_LINE.matcher(line).matches()).toList();
            List<String> forged = lines.stream().filter(line -> line.contains("FORGED")).toList();
            System.out.printf("SecurityIT log: %d hostile headers, %d rejection lines, %d lines in all, %d not a log "
                    + "record, %d with the forged text%n", hostile.size(), server.logged("rejected: ").size(),
                    lines.size(), notRecords.size(), forged.size());
            assertEquals(hostile.size(), server.logged("rejected: ").size());
            assertTrue(notRecords.isEmpty(), "lines that are not log records: " + notRecords);
            assertTrue(forged.isEmpty(), "client text reached the log: " + forged);
        }
    }

    // ---- helpers ----

    /** A connection to 127.0.0.1:{@code port} from the local address {@code source}. */
    private static Socket from(String source, int port) throws IOException {
        return from(source, "127.0.0.1", port);
    }

    private static Socket from(String source, String target, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(target, port), 10_000);
            socket.setSoTimeout(10_000);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private static void assertServed(String host, int port) throws IOException {
        try (Socket socket = from(host, host, port)) {
            socket.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("bound", new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII),
                    "served on " + host + ":" + port);
        }
    }

    /** What arrives until the server closes (or {@code max} bytes, or 2 s of silence). */
    private static byte[] readUntilClosedOr(Socket socket, int max) throws IOException {
        socket.setSoTimeout(2_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while (out.size() < max && (n = socket.getInputStream().read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither closed nor served within 2 s; got " + out.size() + " bytes");
        } catch (IOException reset) {
            // closed by a reset: what arrived before is what counts
        }
        return out.toByteArray();
    }

    private static boolean hasIpv6Loopback() throws IOException {
        Path interfaces = Path.of("/proc/net/if_inet6");
        return Files.exists(interfaces) && Files.readAllLines(interfaces).stream()
                .anyMatch(line -> line.startsWith("00000000000000000000000000000001"));
    }

    private static String uidOf(String user) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", user).start();
        String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        id.waitFor();
        return out;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }
}
