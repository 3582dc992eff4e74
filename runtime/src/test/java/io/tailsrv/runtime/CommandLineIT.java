package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled bin/tailsrv, driven as a user drives it: a real process, real
 * sockets, real files.
 */
class CommandLineIT {

    @TempDir
    Path dir;

    @Test
    void streamsFromOffsetZeroThenEveryAppend() throws Exception {
        Path file = write(dir, "log", "hello\n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("hello\n", client.readString(6));
            append(file, "world\n");
            assertEquals("world\n", client.readString(6));
        }
    }

    @Test
    void logsStartWithPortFileAndSize() throws Exception {
        Path file = write(dir, "log", "12345");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString())) {
            String line = server.awaitLog("listening on ", WAIT);
            assertTrue(line.contains(":" + port), line);
            assertTrue(line.contains(file.toString()), line);
            assertTrue(line.contains("(5 bytes)"), line);
        }
    }

    @Test
    void positiveNegativeAndClampedOffsets() throws Exception {
        Path file = write(dir, "log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            try (Client client = Client.request(port, "4")) {
                assertEquals("456789", client.readString(6));
            }
            try (Client client = Client.request(port, "-3")) {
                assertEquals("789", client.readString(3));
            }
            try (Client client = Client.request(port, "-1000")) {
                assertEquals("0123456789", client.readString(10));
            }
            try (Client client = Client.request(port, "+2")) {
                assertEquals("23456789", client.readString(8));
            }
            String line = server.awaitLog("connected: requested -1000, starting at 0 of 10 bytes", WAIT);
            assertTrue(line.contains("127.0.0.1:"), line);
        }
    }

    @Test
    void offsetPastTheEndWaitsForTheFileToGetThere() throws Exception {
        Path file = write(dir, "log", "abc");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "5")) {
            server.awaitLog("requested 5, starting at 5 of 3 bytes", WAIT);
            append(file, "d");
            assertEquals(0, client.readAvailableWithin(200).length, "nothing before byte 5 exists");
            append(file, "efgh");
            assertEquals("fgh", client.readString(3));
        }
    }

    @Test
    void halfClosedClientKeepsReceiving() throws Exception {
        Path file = write(dir, "log", "first\n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            client.socket.shutdownOutput(); // what `nc -N` does after sending the header
            assertEquals("first\n", client.readString(6));
            append(file, "second\n");
            assertEquals("second\n", client.readString(7));
        }
    }

    @Test
    void listensBeforeTheFileExistsAndServesItWhenItAppears() throws Exception {
        Path file = dir.resolve("later/log");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString())) {
            server.awaitLog("waiting for .*later/log to exist", WAIT);
            try (Client client = Client.request(port, "-2")) {
                server.awaitLog("requested -2, waiting for", WAIT);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "created");
                assertEquals("ed", client.readString(2));
                append(file, "!");
                assertEquals("!", client.readString(1));
            }
        }
    }

    @Test
    void deletedFileEndsTheProcessWithStatusZeroWithinASecond() throws Exception {
        Path file = write(dir, "log", "data");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("data", client.readString(4));
            long start = System.nanoTime();
            Files.delete(file);
            assertEquals(0, server.awaitExit(WAIT));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "exited " + millis + " ms after the deletion");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void movedFileEndsTheProcessWithStatusZero() throws Exception {
        Path file = write(dir, "log", "data");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            Files.move(file, dir.resolve("log.1"));
            assertEquals(0, server.awaitExit(WAIT));
        }
    }

    @Test
    void lingerKeepsServingTheDeletedFile() throws Exception {
        Path file = write(dir, "log", "a");
        int port = Client.freePort();
        try (FileOutputStream writer = new FileOutputStream(file.toFile(), true);
                TailsrvProcess server = TailsrvProcess.start(
                        "-p", "" + port, "--linger-after-file-is-gone", file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("a", client.readString(1));
            Files.delete(file);
            server.awaitLog("lingering", WAIT);
            writer.write("b".getBytes(StandardCharsets.US_ASCII));
            writer.flush();
            assertEquals("b", client.readString(1));
            try (Client late = Client.request(port, "0")) {
                assertEquals("ab", late.readString(2));
            }
            assertTrue(server.isAlive());
        }
    }

    @Test
    void truncationClosesOnlyClientsPastTheNewEnd() throws Exception {
        // 64 MiB: more than loopback socket buffers hold, so a client that does not
        // read stays far behind the end while the other one reaches it.
        byte[] data = new byte[64 << 20];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("log");
        Files.write(file, data);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client slow = Client.request(port, "0");
                Client fast = Client.request(port, "0")) {
            assertArrayEquals(data, fast.read(data.length));
            try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
                channel.truncate(data.length - 1);
            }
            server.awaitLog("truncated to " + (data.length - 1) + " bytes", WAIT);
            assertTrue(fast.closedByServer(), "the client at the old end is past the new end");
            append(file, "XYZ");
            byte[] expected = Arrays.copyOf(data, data.length + 2);
            expected[data.length - 1] = 'X';
            expected[data.length] = 'Y';
            expected[data.length + 1] = 'Z';
            assertArrayEquals(expected, slow.read(expected.length), "the client behind carries on");
        }
    }

    @Test
    void truncationToZeroClosesEveryClientPastIt() throws Exception {
        Path file = write(dir, "log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client waiting = Client.request(port, "3");
                Client gone = Client.request(port, "0")) {
            assertEquals("3456789", waiting.readString(7));
            assertEquals("0123456789", gone.readString(10));
            // Both are at offset 10. Truncate to 0 and rewrite: everyone past 0 is closed.
            try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            server.awaitLog("truncated to 0 bytes", WAIT);
            assertTrue(waiting.closedByServer());
            try (Client fresh = Client.request(port, "0")) {
                server.awaitLog("requested 0, starting at 0 of 0 bytes", WAIT);
                append(file, "new");
                assertEquals("new", fresh.readString(3), "a client at the new end carries on");
            }
        }
    }

    @Test
    void malformedHeaderClosesOnlyThatConnectionAndLogsItEscaped() throws Exception {
        Path file = write(dir, "log", "ok");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client good = Client.request(port, "0")) {
            assertEquals("ok", good.readString(2));
            try (Client bad = Client.connect(port)) {
                bad.send("12\u001b[31mfake\n");
                assertTrue(bad.closedByServer());
            }
            String line = server.awaitLog("rejected", WAIT);
            assertTrue(line.contains("\"12\\x1b"), line);
            assertFalse(line.contains("\u001b"), "no raw escape byte reaches the log: " + line);
            append(file, "!");
            assertEquals("!", good.readString(1));
        }
    }

    @Test
    void clientGoneIsLoggedWithBytesSent() throws Exception {
        Path file = write(dir, "log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            try (Client client = Client.request(port, "-4")) {
                assertEquals("6789", client.readString(4));
                client.socket.setSoLinger(true, 0); // close with a reset
            }
            String line = server.awaitLog("gone after 4 bytes", WAIT);
            assertTrue(line.contains("127.0.0.1:"), line);
        }
    }

    @Test
    void aStalledClientNeverDelaysAnother() throws Exception {
        byte[] data = new byte[64 << 20]; // far more than the stalled client's socket buffers hold
        new Random(3).nextBytes(data);
        Path file = dir.resolve("log");
        Files.write(file, data);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client stalled = Client.request(port, "0");
                Client live = Client.request(port, "-3")) {
            server.awaitLog("requested 0, starting at 0", WAIT);
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 3, data.length), live.read(3));
            for (int i = 0; i < 20; i++) {
                long before = System.nanoTime();
                append(file, "line " + i + "\n");
                String expected = "line " + i + "\n";
                assertEquals(expected, live.readString(expected.length()));
                long millis = (System.nanoTime() - before) / 1_000_000;
                assertTrue(millis < 500, "append " + i + " reached the live client after " + millis + " ms");
            }
            assertTrue(stalled.socket.isConnected(), "the stalled client is still connected");
        }
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() throws Exception {
        try (TailsrvProcess server = TailsrvProcess.start()) {
            assertEquals(2, server.awaitExit(WAIT));
            assertTrue(String.join("\n", server.stderr()).contains("Usage: tailsrv -p PORT"), server.stderr().toString());
        }
    }

    @Test
    void badArgumentsExitTwo() throws Exception {
        for (String[] args : List.of(
                new String[] {"-p", "70000", "f"},
                new String[] {"-p", "abc", "f"},
                new String[] {"--no-such-flag", "-p", "1", "f"},
                new String[] {"-p", "4321"},
                new String[] {"-p", "1", "a", "b"})) {
            try (TailsrvProcess server = TailsrvProcess.start(args)) {
                assertEquals(2, server.awaitExit(WAIT), String.join(" ", args));
                assertTrue(String.join("\n", server.stderr()).contains("Usage:"), String.join(" ", args));
            }
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        try (TailsrvProcess server = TailsrvProcess.start("--help")) {
            assertEquals(0, server.awaitExit(WAIT));
            assertTrue(server.stdout().contains("--linger-after-file-is-gone"), server.stdout());
        }
    }

    @Test
    void portInUseIsOneLineNamingThePort() throws Exception {
        Path file = write(dir, "log", "x");
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString())) {
                assertNotEquals(0, server.awaitExit(WAIT));
                List<String> lines = server.stderr();
                assertEquals(1, lines.size(), lines.toString());
                assertTrue(lines.get(0).contains("port") && lines.get(0).contains("in use"), lines.get(0));
            }
        }
    }

    @Test
    void directoryIsOneLineNamingIt() throws Exception {
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, dir.toString())) {
            assertNotEquals(0, server.awaitExit(WAIT));
            List<String> lines = server.stderr();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("is a directory"), lines.get(0));
        }
    }

    @Test
    void sigtermClosesClientsAndReleasesThePort() throws Exception {
        Path file = write(dir, "log", "x");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("x", client.readString(1));
            server.terminate();
            server.awaitExit(WAIT);
            assertTrue(client.closedByServer());
            assertThrows(ConnectException.class, () -> Client.connect(port).close());
            try (ServerSocket again = new ServerSocket(port)) {
                assertEquals(port, again.getLocalPort(), "the port is free again");
            }
        }
    }

    @Test
    void streamsALargeFileByteExact() throws Exception {
        Path file = dir.resolve("big");
        byte[] data = writeRandom(file, 32 << 20, 42);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertArrayEquals(data, client.read(data.length));
        }
    }

    /**
     * A backlog is sent corked (whole segments), and the socket uncorked once
     * the client has it all: left corked, the kernel would hold each small
     * append back for up to 200 ms.
     */
    @Test
    void aClientThatCaughtUpABacklogGetsEachAppendAtOnce() throws Exception {
        Path file = dir.resolve("backlog");
        byte[] data = writeRandom(file, (4 << 20) + 7, 7);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertArrayEquals(data, client.read(data.length));
            long[] millis = new long[9];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                append(file, "append " + i + "\n");
                assertEquals("append " + i + "\n", client.readString(9));
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            assertTrue(sorted[millis.length / 2] < 100, "append to delivery, ms: " + Arrays.toString(millis));
        }
    }

    @Test
    void startsOnJava25() throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")),
                "no JDK 25 at " + jdk25);
        Path file = write(dir, "log", "on 25");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start(Map.of("JAVA_HOME", jdk25.toString()),
                "-p", "" + port, file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("on 25", client.readString(5));
            assertFalse(String.join("\n", server.stderr()).contains("WARNING"), server.stderr().toString());
        }
    }

    /** Writes {@code size} random bytes (from {@code seed}) to {@code file}, and returns them. */
    private static byte[] writeRandom(Path file, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        return data;
    }
}
