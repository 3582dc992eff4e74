package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of heavy streaming: the server is started again on
 * the same port, every client reconnects at the offset it reached, and each
 * ends with exactly the file's bytes from where it started, appends made
 * during the crash included.
 */
class CrashIT {

    private static final int SIZE = 128 << 20;

    @TempDir
    Path dir;

    @Test
    void killedMidStreamRestartsAndEveryClientResumesByteExact() throws Exception {
        Path file = dir.resolve("big.log");
        writeRandom(file, SIZE);
        int port = Client.freePort();
        List<Resuming> clients = new ArrayList<>();
        Writer writer = null;
        try (TailsrvProcess first = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            clients.add(new Resuming(port, "0", 0));
            clients.add(new Resuming(port, "0", 0));
            clients.add(new Resuming(port, "12345", 12345));
            clients.add(new Resuming(port, "-1048576", SIZE - (1 << 20))); // resolved before the file grows
            for (Resuming client : clients) {
                client.awaitReceived(1 << 20);
            }
            writer = new Writer(file);
            for (Resuming client : clients.subList(0, 3)) {
                client.awaitReceived(8 << 20);
            }
            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL
            int status = first.awaitExit(WAIT);
            long[] atKill = clients.stream().mapToLong(Resuming::position).toArray();

            try (TailsrvProcess second = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
                TimeUnit.SECONDS.sleep(1); // the file keeps growing while the clients catch up
                long end = writer.stop();
                long compared = 0;
                int reconnections = 0;
                for (Resuming client : clients) {
                    client.finishAt(end);
                }
                for (Resuming client : clients) {
                    client.awaitDone(Duration.ofSeconds(60));
                    assertEquals(end, client.position());
                    assertArrayEquals(digest(file, client.start, end), client.digest(),
                            "client from " + client.start + ": its bytes up to " + end + " differ from the file's");
                    compared += end - client.start;
                    reconnections += client.connections() - 1;
                }
                long midFile = Arrays.stream(atKill).filter(position -> position < SIZE).count();
                System.out.printf("CrashIT: kill -9 (exit %d) with 4 clients streaming a %d MiB file (%d of them "
                        + "mid-file, at %s), the file growing meanwhile; restarted on the same port; %d "
                        + "reconnections; %d bytes compared, byte-exact, up to the final %d bytes%n", status,
                        SIZE >> 20, midFile, Arrays.toString(atKill), reconnections, compared, end);
                assertEquals(137, status, "killed by SIGKILL");
                assertTrue(midFile >= 3, "the kill came mid-stream: " + Arrays.toString(atKill));
                assertTrue(reconnections >= clients.size(), "every client reconnected: " + reconnections);
                assertTrue(second.isAlive());
            }
        } finally {
            if (writer != null) {
                writer.stop();
            }
            for (Resuming client : clients) {
                client.stop();
            }
        }
    }

    /**
     * A process killed with SIGKILL cannot remove its framework cache; the
     * next start does, and never the cache of a process still running.
     */
    @Test
    void theNextStartRemovesTheCacheOfAKilledRunOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("small.log"), "hello\n");
        Path caches = Files.createDirectories(dir.resolve("cache"));
        Map<String, String> env = Map.of("JAVA_OPTS", "-Dtailsrv.cache.dir=" + caches);
        List<Path> killedCaches;
        try (TailsrvProcess killed = TailsrvProcess.start(env, "-p", "" + Client.freePort(), file.toString())) {
            killed.awaitListening();
            killedCaches = caches(caches);
            ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
            assertEquals(137, killed.awaitExit(WAIT));
        }
        assertEquals(1, killedCaches.size(), "one cache while it ran: " + killedCaches);
        assertEquals(killedCaches, caches(caches), "a killed process leaves its cache behind");

        try (TailsrvProcess next = TailsrvProcess.start(env, "-p", "" + Client.freePort(), file.toString());
                TailsrvProcess beside = TailsrvProcess.start(env, "-p", "" + Client.freePort(), file.toString())) {
            next.awaitListening();
            beside.awaitListening();
            List<Path> running = caches(caches);
            System.out.printf("CrashIT cache: killed run's %s; with two runs started after it: %s%n",
                    killedCaches, running);
            assertEquals(2, running.size(), "the two live runs' caches, and no other: " + running);
            assertTrue(running.stream().noneMatch(killedCaches::contains), "the killed run's cache is gone");
            next.terminate();
            assertEquals(143, next.awaitExit(WAIT));
            assertEquals(1, caches(caches).size(), "the live run's cache is left alone");
            beside.terminate();
            beside.awaitExit(WAIT);
        }
        assertEquals(List.of(), caches(caches), "a clean stop removes its own cache");
    }

    private static List<Path> caches(Path base) throws IOException {
        try (Stream<Path> files = Files.list(base)) {
            return files.filter(path -> path.getFileName().toString().startsWith("tailsrv-felix-")).sorted().toList();
        }
    }

    private static void writeRandom(Path file, int size) throws IOException {
        Random random = new Random(1234);
        byte[] block = new byte[1 << 20];
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (int written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    private static byte[] digest(Path file, long from, long to) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long at = from;
            while (at < to) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), to - at));
                int n = channel.read(buffer, at);
                buffer.flip();
                sha.update(buffer);
                at += n;
            }
        }
        return sha.digest();
    }

    /** Appends numbered 4 KiB blocks every 5 ms from its own thread. */
    static final class Writer {
        private final FileOutputStream out;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long end;

        Writer(Path file) throws IOException {
            out = new FileOutputStream(file.toFile(), true);
            thread = new Thread(() -> {
                byte[] block = new byte[4096];
                for (long n = 0; running.get(); n++) {
                    byte[] label = String.format("%08d", n).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < block.length; i++) {
                        block[i] = label[i % label.length];
                    }
                    block[block.length - 1] = '\n';
                    try {
                        out.write(block);
                    } catch (IOException e) {
                        return;
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(5); // the writer's pace
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "crash-writer");
            thread.start();
        }

        /** Stops appending; returns the file's final size. */
        long stop() throws Exception {
            if (running.getAndSet(false)) {
                thread.join();
                end = out.getChannel().size();
                out.close();
            }
            return end;
        }
    }

    /**
     * A client that reads at a steady 32 MB/s or so, and when its connection
     * ends reconnects at the offset it reached (retrying while nothing
     * listens), until it has the file up to the end it is given.
     */
    static final class Resuming {
        final long start;
        private final int port;
        private final String request;
        private final Thread thread;
        private final MessageDigest sha;
        private volatile long position;
        private volatile long end = Long.MAX_VALUE;
        private volatile int connections;
        private volatile boolean stopped;
        private volatile Throwable failure;
        private volatile Socket socket;

        Resuming(int port, String request, long start) throws Exception {
            this.port = port;
            this.request = request;
            this.start = start;
            this.position = start;
            this.sha = MessageDigest.getInstance("SHA-256");
            thread = new Thread(this::run, "resuming-" + request);
            thread.setDaemon(true);
            thread.start();
        }

        long position() {
            return position;
        }

        int connections() {
            return connections;
        }

        byte[] digest() {
            return sha.digest();
        }

        /** The client stops once it has the file up to {@code end}. */
        void finishAt(long end) throws IOException {
            this.end = end;
            Socket current = socket;
            if (position >= end && current != null) {
                current.close(); // it waits for bytes that will not come: wake it
            }
        }

        void awaitReceived(long bytes) throws Exception {
            await(() -> request + ": " + bytes + " bytes received, only " + (position - start) + " so far", WAIT,
                    () -> {
                        check();
                        return position - start >= bytes;
                    });
        }

        void awaitDone(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            check();
            assertTrue(!thread.isAlive(), request + ": at " + position + " of " + end + " after " + timeout);
        }

        void stop() throws IOException {
            stopped = true;
            Socket current = socket;
            if (current != null) {
                current.close();
            }
        }

        private void check() {
            if (failure != null) {
                throw new AssertionError(request + " failed", failure);
            }
        }

        private void run() {
            byte[] buffer = new byte[64 << 10];
            try {
                while (!stopped && position < end) {
                    Socket connected = connect();
                    if (connected == null) {
                        continue;
                    }
                    try (Socket s = connected) {
                        socket = s;
                        String header = connections == 0 ? request : Long.toString(position);
                        connections++;
                        s.getOutputStream().write((header + "\n").getBytes(StandardCharsets.US_ASCII));
                        InputStream in = s.getInputStream();
                        while (position < end) {
                            int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
                            if (n < 0) {
                                break;
                            }
                            sha.update(buffer, 0, n);
                            position += n;
                            TimeUnit.MILLISECONDS.sleep(2); // a consumer that takes its time
                        }
                    } catch (IOException reset) {
                        // the server went away mid-read: reconnect at the position reached
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** A connection, or null after a short pause if nothing listens yet. */
        private Socket connect() throws InterruptedException {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(30_000);
                return s;
            } catch (IOException refused) {
                try {
                    s.close();
                } catch (IOException e) {
                    // never connected
                }
                TimeUnit.MILLISECONDS.sleep(20); // retrying while the server restarts
                return null;
            }
        }
    }
}
