package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tailsrv --config-dir DIR}, driven through its directory as an
 * operator drives it: files added, edited, broken and removed while clients
 * stream.
 */
class HostModeIT {

    @TempDir
    Path dir;

    @Test
    void newFileServesWithinOneSecondAndRemovedFileClosesWithinOneSecond() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "a.log", "alpha\n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config)) {
            long before = System.nanoTime();
            config.serve("a", log, port);
            server.awaitLog("\\[a\\] listening on \\*:" + port, WAIT);
            long startedMillis = millisSince(before);
            try (Client client = Client.request(port, "0")) {
                assertEquals("alpha\n", client.readString(6));
                assertTrue(startedMillis < 1000, "served " + startedMillis + " ms after the file was written");

                before = System.nanoTime();
                config.remove("a");
                server.awaitLog("\\[a\\] stopped", WAIT);
                long stoppedMillis = millisSince(before);
                assertTrue(client.closedByServer(), "its client is closed");
                assertThrows(ConnectException.class, () -> Client.connect(port).close());
                assertTrue(stoppedMillis < 1000, "closed " + stoppedMillis + " ms after the file was removed");
            }
        }
    }

    @Test
    void churnOnOneInstanceNeverDisturbsAnother() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path logB = write(dir, "b.log", "");
        Path logA = write(dir, "a.log", "a\n");
        int portB = Client.freePort();
        config.serve("b", logB, portB);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config);
                Client clientB = Client.request(portB, "0");
                Appender writer = new Appender(logB)) {
            Collector collector = new Collector(clientB.socket.getInputStream());
            int portA = Client.freePort();

            config.serve("a", logA, portA);                                   // added
            server.awaitLog("\\[a\\] listening on \\*:" + portA, WAIT);
            try (Client clientA = Client.request(portA, "0")) {
                assertEquals("a\n", clientA.readString(2));
                config.serve("a", logA, portA, "header.timeout = 5", "max.clients = 10"); // edited, live
                server.awaitLog("\\[a\\] updated", WAIT);
                append(logA, "b\n");
                assertEquals("b\n", clientA.readString(2), "a live edit keeps the instance's clients");
            }
            int movedA = Client.freePort();
            config.serve("a", logA, movedA);                                  // edited, restarted
            server.awaitLog("\\[a\\] listening on \\*:" + movedA, WAIT);
            config.write("a", "file = " + logA, "port = abc");                // broken
            server.awaitLog("\\[a\\] FAILED: port: \"abc\" is not a whole number \\(in .*tailsrv-a.cfg\\)", WAIT);
            config.remove("a");                                               // removed
            server.awaitLog("\\[a\\] removed: configuration removed", WAIT);

            writer.close();
            byte[] expected = Files.readAllBytes(logB);
            byte[] received = collector.await(expected.length);
            assertTrue(expected.length > 1000, "the writer wrote " + expected.length + " bytes");
            assertArrayEquals(expected, received, "B's client got every byte, in order");
            assertTrue(collector.longestGapMillis() < 1000,
                    "B's client never stalled: longest gap " + collector.longestGapMillis() + " ms");
            assertTrue(server.logged("\\[b\\] .*gone").isEmpty(), server.logged("\\[b\\]").toString());
        }
    }

    @Test
    void faultsStopOnlyTheirInstanceNamingFileAndProperty() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "ok.log", "fine");
        int port = Client.freePort();
        config.serve("ok", log, port);
        config.write("nofile", "port = " + Client.freePort());
        config.serve("range", log, 70000);
        config.serve("bind", log, Client.freePort(), "bind = ::zz");
        config.serve("cidr", log, Client.freePort(), "allow = 10.0.0.0/99");
        config.serve("twin", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config)) {
            server.awaitLog("\\[nofile\\] FAILED: file: is required .*tailsrv-nofile.cfg", WAIT);
            server.awaitLog("\\[range\\] FAILED: port: 70000 is out of range .*tailsrv-range.cfg", WAIT);
            server.awaitLog("\\[bind\\] FAILED: bind: .*::zz.*tailsrv-bind.cfg", WAIT);
            server.awaitLog("\\[cidr\\] FAILED: allow: .*10.0.0.0/99.*tailsrv-cidr.cfg", WAIT);
            String clash = server.awaitLog("\\[(ok|twin)\\] FAILED: port: cannot listen on \\*:" + port + ": Address already in use", WAIT);
            String loser = clash.contains("[ok]") ? "ok" : "twin";
            String winner = loser.equals("ok") ? "twin" : "ok";
            try (Client client = Client.request(port, "0")) {
                assertEquals("fine", client.readString(4), winner + " serves");
            }
            // The instance that lost starts once its configuration changes.
            int other = Client.freePort();
            config.serve(loser, log, other);
            server.awaitLog("\\[" + loser + "\\] listening on \\*:" + other, WAIT);
            try (Client client = Client.request(other, "-2")) {
                assertEquals("ne", client.readString(2));
            }
        }
    }

    @Test
    void portInUseFailsUntilTheConfigurationChanges() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "x.log", "x");
        try (ServerSocket taken = new ServerSocket(0)) {
            config.serve("x", log, taken.getLocalPort());
            try (TailsrvProcess server = TailsrvProcess.startHostMode(config)) {
                server.awaitLog("\\[x\\] FAILED: port: .*in use", WAIT);
                int free = Client.freePort();
                config.serve("x", log, free);
                server.awaitLog("\\[x\\] listening on \\*:" + free, WAIT);
            }
        }
    }

    @Test
    void deletedFileClosesClientsKeepsListeningAndServesTheNewFile() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "app.log", "old\n");
        int port = Client.freePort();
        config.serve("app", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config);
                Client client = Client.request(port, "0")) {
            assertEquals("old\n", client.readString(4));
            // logrotate's create mode: rename the file away, create a new one at the path
            Files.move(log, dir.resolve("app.log.1"));
            assertTrue(client.closedByServer(), "clients of the moved file are closed");
            server.awaitLog("\\[app\\] .*was moved", WAIT);
            try (Client waiting = Client.request(port, "0")) {             // the port still listens
                Files.writeString(log, "new\n");
                assertEquals("new\n", waiting.readString(4));
                Files.delete(log);
                assertTrue(waiting.closedByServer(), "clients of the deleted file are closed");
            }
            try (Client again = Client.request(port, "0")) {
                server.awaitLog("requested 0, waiting for", WAIT);
                Files.writeString(log, "newer\n");
                assertEquals("newer\n", again.readString(6));
            }
        }
    }

    @Test
    void lingerKeepsServingTheOpenFile() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "l.log", "1");
        int port = Client.freePort();
        config.serve("l", log, port, "linger = true");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config);
                Appender writer = new Appender(log, false);
                Client client = Client.request(port, "0")) {
            assertEquals("1", client.readString(1));
            Files.delete(log);
            server.awaitLog("\\[l\\] .*lingering", WAIT);
            writer.append("2");
            assertEquals("2", client.readString(1));
        }
    }

    @Test
    void truncationClosesOnlyClientsPastTheNewEnd() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "t.log", "0123456789");
        int port = Client.freePort();
        config.serve("t", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config);
                Client atEnd = Client.request(port, "0")) {
            assertEquals("0123456789", atEnd.readString(10));
            try (var channel = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                channel.truncate(4);
            }
            server.awaitLog("\\[t\\] .*truncated to 4 bytes", WAIT);
            assertTrue(atEnd.closedByServer());
            try (Client fresh = Client.request(port, "-2")) {
                assertEquals("23", fresh.readString(2));
            }
        }
    }

    @Test
    void consoleRunsCommandsFromPipedStdin() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        Path log = write(dir, "c.log", "console");
        int port = Client.freePort();
        config.serve("c", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config, "--console")) {
            server.stdin().write("tailsrv:list\ntailsrv:stop c\n".getBytes(StandardCharsets.US_ASCII));
            server.stdin().close();
            assertEquals(0, server.awaitExit(WAIT), "the console's end ends tailsrv");
            String out = server.stdout();
            assertTrue(out.matches("(?s).*\\bc\\s+\\*:" + port + "\\s+\\S*c\\.log\\s+SERVING\\s+0\\s+7\\b.*"), out);
            assertTrue(out.contains("stopped c"), out);
            assertTrue(Files.readString(config.file("c")).matches("(?s).*enabled\\s*=\\s*\"?false.*"),
                    "tailsrv:stop is written back to the file: " + Files.readString(config.file("c")));
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Appends numbered records to a file from its own thread until closed. */
    static final class Appender implements AutoCloseable {
        private final java.io.FileOutputStream out;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Appender(Path file) throws IOException {
            this(file, true);
        }

        Appender(Path file, boolean continuous) throws IOException {
            out = new java.io.FileOutputStream(file.toFile(), true);
            thread = new Thread(() -> {
                long n = 0;
                while (continuous && running.get()) {
                    try {
                        append(String.format("record %08d%n", n++));
                    } catch (IOException e) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a steady writer, not a flood
                }
            }, "appender");
            thread.start();
        }

        synchronized void append(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join();
            out.close();
        }
    }

    /** Reads a socket from its own thread, keeping every byte and the longest wait between reads. */
    static final class Collector {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicLong longestGap = new AtomicLong();
        private final Thread thread;

        Collector(InputStream in) {
            thread = new Thread(() -> {
                byte[] buffer = new byte[65536];
                long last = System.nanoTime();
                try {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        long now = System.nanoTime();
                        longestGap.accumulateAndGet(now - last, Math::max);
                        last = now;
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                            bytes.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the socket was closed: the test compares what arrived
                }
            }, "collector");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits until {@code length} bytes arrived (or 10 s passed); returns what arrived. */
        byte[] await(int length) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            synchronized (bytes) {
                while (bytes.size() < length && System.currentTimeMillis() < deadline) {
                    bytes.wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
                return bytes.toByteArray();
            }
        }

        long longestGapMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longestGap.get());
        }
    }
}
