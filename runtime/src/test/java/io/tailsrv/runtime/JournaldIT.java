package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --journald} against the real systemd-journald: each test runs one in
 * a private mount namespace (tmpfs over /run/systemd and /run/log, so the
 * host's journal is neither seen nor touched), runs tailsrv beside it, and
 * reads back what the journal stored with {@code journalctl -o json}. Needs
 * root, unshare and Debian's systemd package; without them it fails, saying so.
 */
class JournaldIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path JOURNALD = Path.of("/lib/systemd/systemd-journald");

    @TempDir
    Path dir;

    @BeforeAll
    static void journaldCanRun() {
        assertTrue(Files.isExecutable(JOURNALD), JOURNALD + " is missing: install Debian's systemd package (.ci/run does)");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux) is missing");
    }

    @Test
    void everyRecordGoesToTheJournalWithItsFields() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "hello\n");
        int port = Client.freePort();
        Path json = dir.resolve("journal.json");
        try (NotifyReceiver systemd = new NotifyReceiver(dir.resolve("notify").toString());
                TailsrvProcess server = TailsrvProcess.start(beside(json), Map.of("NOTIFY_SOCKET", systemd.name()),
                        "-p", "" + port, "--journald", file.toString())) {
            systemd.await("^READY=1$", WAIT);
            String peer;
            try (Client client = Client.request(port, "0")) {
                assertEquals("hello\n", client.readString(6));
                peer = "127.0.0.1:" + client.socket.getLocalPort();
                try (Client bad = Client.connect(port)) {
                    bad.send("1x\n");
                    assertTrue(bad.closedByServer());
                }
                client.socket.setSoLinger(true, 0);
            }
            Files.delete(file); // the command line exits
            assertEquals(0, server.awaitExit(WAIT), String.join("\n", server.stderr()));
            assertEquals(List.of(), server.logged(" (INFO|WARN|ERROR) "), "nothing logged on stderr");

            List<Map<String, String>> tailsrv = ours(json);
            Map<String, String> listening = only(tailsrv, message("[app.log] listening on *:" + port + "; serving "));
            assertEquals("6", listening.get("PRIORITY"));
            assertEquals("app.log", listening.get("TAILSRV_INSTANCE"));
            assertEquals("" + port, listening.get("TAILSRV_PORT"));
            assertEquals(file.toString(), listening.get("TAILSRV_FILE"));
            assertEquals("6", listening.get("TAILSRV_BYTES"));
            assertEquals("io.tailsrv.server.internal.FileFollower", listening.get("TAILSRV_LOGGER"));
            assertNotNull(listening.get("TAILSRV_THREAD"));

            Map<String, String> connected = only(tailsrv, message("[app.log] " + peer + " connected: requested 0"));
            assertEquals(peer, connected.get("TAILSRV_PEER"));
            assertEquals("0", connected.get("TAILSRV_OFFSET"));
            assertEquals("app.log", connected.get("TAILSRV_INSTANCE"));

            Map<String, String> rejected = only(tailsrv, message("[app.log] 127.0.0.1:").and(message(" rejected: ")));
            assertEquals("4", rejected.get("PRIORITY"));
            assertTrue(rejected.get("TAILSRV_PEER").startsWith("127.0.0.1:"), rejected.toString());

            Map<String, String> gone = only(tailsrv, message("[app.log] " + peer + " gone after 6 bytes"));
            assertEquals("6", gone.get("TAILSRV_BYTES"));
            assertEquals("6", gone.get("TAILSRV_OFFSET"));
            assertEquals(peer, gone.get("TAILSRV_PEER"));

            Map<String, String> exiting = only(tailsrv, message(file + " is gone; exiting"));
            assertEquals(file.toString(), exiting.get("TAILSRV_FILE"));
            assertEquals("io.tailsrv.launcher.SingleFile", exiting.get("TAILSRV_LOGGER"));
            assertEquals("main", exiting.get("TAILSRV_THREAD"));
        }
    }

    @Test
    void aRecordTooLargeForADatagramAndAnExceptionArriveWhole() throws Exception {
        long datagramLimit = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/wmem_default")).strip());
        assertTrue(JournalProbe.LARGE_BYTES > datagramLimit,
                "the large record must exceed what one datagram carries (" + datagramLimit + " bytes)");
        Path json = dir.resolve("journal.json");
        List<String> command = new ArrayList<>(beside(json));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", TailsrvProcess.HOME.resolve("lib") + "/*:" + testClasses(),
                JournalProbe.class.getName()));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertEquals(0, probe.waitFor(), output);
        assertEquals("", output, "nothing on stderr: the journal took every record");

        List<Map<String, String>> records = ours(json);
        Map<String, String> large = only(records, message("line 000000 of a large record"));
        assertEquals(JournalProbe.large(), large.get("MESSAGE"), "the large record arrived whole");
        assertEquals("6", large.get("PRIORITY"));

        Map<String, String> failed = only(records, message("probe failed"));
        assertEquals("3", failed.get("PRIORITY"));
        assertEquals("java.lang.IllegalStateException: boom", failed.get("TAILSRV_EXCEPTION"));
        String trace = failed.get("MESSAGE");
        assertTrue(trace.startsWith("probe failed\njava.lang.IllegalStateException: boom\n\tat io.tailsrv.runtime.JournalProbe.main("),
                trace);
        assertTrue(trace.contains("\nCaused by: java.io.IOException: the cause\n"), trace);

        Map<String, String> fields = only(records, message("fields"));
        assertEquals("4", fields.get("PRIORITY"));
        assertEquals("[::1]:4242", fields.get("TAILSRV_PEER"));
        assertEquals("v", fields.get("LOWER_CASE_KEY"), "keys become journal field names");
    }

    @Test
    void withoutAJournalItSaysSoOnceAndLogsToStderr() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "x");
        int port = Client.freePort();
        List<String> wrapper = new ArrayList<>(beside(dir.resolve("unused.json")));
        wrapper.add("--no-journald");
        try (TailsrvProcess server = TailsrvProcess.start(wrapper, Map.of(), "-p", "" + port, "--journald",
                file.toString())) {
            server.awaitListening();
            try (Client client = Client.request(port, "0")) {
                assertEquals("x", client.readString(1));
                server.awaitLog("connected: requested 0", WAIT);
            }
            List<String> said = server.logged("journal");
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.get(0).matches(".*Z WARN cannot log to the journal \\(sendto /run/systemd/journal/socket: "
                    + "No such file or directory\\); logging to stderr"), said.get(0));
        }
    }

    /** The command line that runs a command beside a private journald, writing its entries to {@code json}. */
    private static List<String> beside(Path json) throws URISyntaxException {
        Path script = Path.of(JournaldIT.class.getResource("/journald-namespace.sh").toURI());
        return List.of("unshare", "--mount", "--propagation", "private", "sh", script.toString(), json.toString());
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(JournalProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** tailsrv's entries in the journal dumped at {@code json}. */
    private static List<Map<String, String>> ours(Path json) throws IOException {
        return JournalJson.read(json).stream()
                .filter(entry -> "tailsrv".equals(entry.get("SYSLOG_IDENTIFIER")))
                .toList();
    }

    private static Predicate<Map<String, String>> message(String part) {
        return entry -> entry.get("MESSAGE") != null && entry.get("MESSAGE").contains(part);
    }

    private static Map<String, String> only(List<Map<String, String>> entries, Predicate<Map<String, String>> wanted) {
        List<Map<String, String>> found = entries.stream().filter(wanted).toList();
        assertEquals(1, found.size(), "one matching entry among " + entries.size() + ": " + found);
        return found.get(0);
    }
}
