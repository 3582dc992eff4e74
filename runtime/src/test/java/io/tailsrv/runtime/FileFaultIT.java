package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows of ARCHITECTURE.md's file table that CommandLineIT and HostModeIT
 * leave out, and a file that fails to read: the file missing at the start of
 * a config instance, a directory or an unreadable file for both modes, a
 * move under linger for both, a deletion mid-stream, and read errors from a
 * failing disk (a FUSE file system whose reads fail past 64 KiB).
 */
class FileFaultIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> AS_NOBODY =
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    @TempDir
    Path dir;

    @Test
    void configInstanceListensBeforeItsFileExistsAndServesItWhenItAppears() throws Exception {
        ConfigDir config = config();
        Path file = dir.resolve("later/app.log");
        int port = Client.freePort();
        config.serve("later", file, port);
        try (TailsrvProcess server = hostMode(config, "later");
                Client client = Client.request(port, "-2")) {
            String waiting = "\\[later\\] listening on \\*:" + port + "; waiting for .*later/app.log to exist";
            assertEquals(1, server.logged(waiting).size(), server.stderr().toString());
            server.awaitLog("\\[later\\] .* requested -2, waiting for", WAIT);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "created");
            assertEquals("ed", client.readString(2));
            append(file, "!");
            assertEquals("!", client.readString(1));
        }
    }

    @Test
    void aDirectoryFailsItsInstanceAloneNamingIt() throws Exception {
        ConfigDir config = config();
        Path ok = write("ok.log", "ok");
        int okPort = Client.freePort();
        config.serve("ok", ok, okPort);
        config.serve("dir", Files.createDirectories(dir.resolve("adir")), Client.freePort());
        try (TailsrvProcess server = hostMode(config, "ok");
                Client client = Client.request(okPort, "0")) {
            server.awaitLog("\\[dir\\] FAILED: file: .*adir is a directory", WAIT);
            assertEquals("ok", client.readString(2), "the other instance serves");
        }
    }

    /**
     * A file its user may not read: the single-file CLI exits non-zero with
     * one line naming it; a config instance fails alone, naming it. Run as
     * nobody, since root reads every file.
     */
    @Test
    void anUnreadableFileIsOneClearErrorInBothModes() throws Exception {
        assumeTrue(ProcFs.isRoot(), "an unreadable file needs a user other than root, and starting one needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = write("secret.log", "secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path ok = write("ok.log", "ok");
        Files.setPosixFilePermissions(ok, PosixFilePermissions.fromString("rw-r--r--"));

        try (TailsrvProcess cli = TailsrvProcess.start(AS_NOBODY, Map.of(), "-p", "" + Client.freePort(),
                secret.toString())) {
            assertNotEquals(0, cli.awaitExit(WAIT));
            List<String> lines = cli.stderr();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains(secret + ": Permission denied"), lines.get(0));
        }

        ConfigDir config = config();
        Files.setPosixFilePermissions(config.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int okPort = Client.freePort();
        config.serve("ok", ok, okPort);
        config.serve("secret", secret, Client.freePort());
        try (TailsrvProcess server = TailsrvProcess.start(AS_NOBODY, Map.of(), "--config-dir", config.dir.toString())) {
            server.awaitLog("\\[secret\\] FAILED: file: .*secret.log: Permission denied", WAIT);
            server.awaitLog("\\[ok\\] listening on ", WAIT);
            try (Client client = Client.request(okPort, "0")) {
                assertEquals("ok", client.readString(2), "the other instance serves");
            }
        }
    }

    @Test
    void lingerKeepsServingAMovedFileInBothModes() throws Exception {
        Path file = write("cli.log", "a");
        int port = Client.freePort();
        try (FileOutputStream writer = new FileOutputStream(file.toFile(), true);
                TailsrvProcess server = TailsrvProcess.start("-p", "" + port, "--linger-after-file-is-gone",
                        file.toString()).awaitListening();
                Client client = Client.request(port, "0")) {
            assertEquals("a", client.readString(1));
            Files.move(file, dir.resolve("cli.log.1"));
            server.awaitLog("was moved; lingering", WAIT);
            writer.write('b');
            writer.flush();
            assertEquals("b", client.readString(1), "the CLI keeps serving the moved file");
            assertTrue(server.isAlive());
        }

        ConfigDir config = config();
        Path hosted = write("host.log", "c");
        int hostPort = Client.freePort();
        config.serve("h", hosted, hostPort, "linger = true");
        try (FileOutputStream writer = new FileOutputStream(hosted.toFile(), true);
                TailsrvProcess server = hostMode(config, "h");
                Client client = Client.request(hostPort, "0")) {
            assertEquals("c", client.readString(1));
            Files.move(hosted, dir.resolve("host.log.1"));
            server.awaitLog("\\[h\\] .*was moved; lingering", WAIT);
            writer.write('d');
            writer.flush();
            assertEquals("d", client.readString(1), "the instance keeps serving the moved file");
        }
    }

    /**
     * A client far behind (32 MiB left to read) when its file is deleted is
     * closed like the others, having received only bytes of the old file;
     * the file created anew at the path goes to new clients.
     */
    @Test
    void deletionMidStreamClosesClientsBehindAndTheNewFileGoesToNewClients() throws Exception {
        byte[] old = new byte[32 << 20];
        new Random(11).nextBytes(old);
        Path file = dir.resolve("mid.log");
        Files.write(file, old);
        ConfigDir config = config();
        int port = Client.freePort();
        config.serve("mid", file, port);
        try (TailsrvProcess server = hostMode(config, "mid");
                Client behind = Client.request(port, "0")) {
            byte[] first = behind.read(1 << 20);
            assertTrue(Arrays.equals(old, 0, first.length, first, 0, first.length));
            Files.delete(file);
            server.awaitLog("\\[mid\\] .*was deleted; closing its clients", WAIT);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            try {
                int n;
                while ((n = behind.socket.getInputStream().read(buffer)) > 0) {
                    rest.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // closed with data unread on the server's side: a reset
            }
            byte[] after = rest.toByteArray();
            int received = first.length + after.length;
            assertTrue(received < old.length, "the client was closed before the end: " + received);
            assertTrue(Arrays.equals(old, first.length, received, after, 0, after.length),
                    "what arrived after the deletion is the old file's, in order");

            Files.writeString(file, "new\n");
            try (Client fresh = Client.request(port, "0")) {
                assertEquals("new\n", fresh.readString(4));
            }
            System.out.printf("FileFaultIT deletion: a client %d bytes into a 32 MiB file was closed at its "
                    + "deletion; the recreated file went to a new client%n", received);
        }
    }

    /**
     * A file whose reads fail (EIO) past its first 64 KiB, on a FUSE file
     * system served by this test: each client of it gets the good bytes,
     * byte-exact, then is closed with a log line; the instance keeps
     * listening; another instance and its client never notice.
     */
    @Test
    void readErrorsCloseOnlyTheClientsOfThatFile() throws Exception {
        assumeTrue(ProcFs.isRoot(), "mounting a FUSE file system without fusermount needs root");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse: this kernel or container offers no FUSE");
        Path mountPoint = Files.createDirectories(dir.resolve("failing"));
        FailingFuse fuse;
        try {
            fuse = FailingFuse.mount(mountPoint);
        } catch (IOException | UnsatisfiedLinkError e) {
            assumeTrue(false, "cannot mount a FUSE file system here: " + e.getMessage());
            return;
        }
        Path good = write("good.log", "good\n");
        ConfigDir config = config();
        int badPort = Client.freePort();
        int goodPort = Client.freePort();
        config.serve("bad", fuse.file(), badPort);
        config.serve("good", good, goodPort);
        try (fuse;
                TailsrvProcess server = hostMode(config, "bad|good");
                Client goodClient = Client.request(goodPort, "0")) {
            assertEquals("good\n", goodClient.readString(5));
            long[] offsets = {0, 1000, FailingFuse.SIZE - 100};
            List<Integer> received = new ArrayList<>();
            for (long offset : offsets) {
                try (Socket socket = new Socket("127.0.0.1", badPort)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write((offset + "\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] bytes = readToEnd(socket);
                    received.add(bytes.length);
                    assertTrue(bytes.length <= Math.max(0, FailingFuse.GOOD_BYTES - offset),
                            "from " + offset + ", " + bytes.length + " bytes arrived: past the readable part");
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] != FailingFuse.byteAt(offset + i)) {
                            throw new AssertionError("byte " + (offset + i) + " is wrong");
                        }
                    }
                }
                server.awaitLog("\\[bad\\] 127\\.0\\.0\\.1:\\d+ gone after \\d+ bytes: send failed: Input/output error",
                        WAIT);
            }
            append(good, "still good\n");
            assertEquals("still good\n", goodClient.readString(11), "the other instance's client carries on");
            assertTrue(server.logged("\\[good\\] .*gone").isEmpty(), server.logged("\\[good\\]").toString());
            try (Client again = Client.request(badPort, "-10")) {
                assertTrue(again.closedByServer(), "the failing file's instance still listens, and fails again");
            }
            System.out.printf("FileFaultIT read errors: 3 clients of a file failing past %d KiB received %s bytes, "
                    + "byte-exact, then were closed with a log line (%d reads failed, %d served by the file "
                    + "system); the other instance's client kept streaming%n", FailingFuse.GOOD_BYTES >> 10,
                    received, fuse.readsFailed(), fuse.readsServed());
        }
    }

    // ---- helpers ----

    /** Starts host mode on {@code config}; returns once the instances named by {@code names} (a regex) listen. */
    private TailsrvProcess hostMode(ConfigDir config, String names) throws Exception {
        TailsrvProcess process = TailsrvProcess.start("--config-dir", config.dir.toString());
        process.awaitLog("serving \\d+ instances? from ", WAIT);
        for (int i = 0; i < names.split("\\|").length; i++) {
            process.awaitLog("\\[(" + names + ")\\] listening on ", WAIT);
        }
        return process;
    }

    private static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        try {
            int n;
            while ((n = socket.getInputStream().read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("not closed within 10 s after " + out.size() + " bytes");
        } catch (IOException reset) {
            // closed with a reset
        }
        return out.toByteArray();
    }

    private ConfigDir config() throws IOException {
        return new ConfigDir(Files.createDirectories(dir.resolve("conf")));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
