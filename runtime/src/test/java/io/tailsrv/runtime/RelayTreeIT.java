package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.await;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree of relays, each a {@code bin/tailsrv --upstream} process of its
 * own: an origin, two relays following it, four following those (each
 * with both of the tier above as upstreams, its parent first), and clients
 * on the last tier. A writer appends records that hold their own offset
 * while relays of both tiers are killed with SIGKILL at random and started
 * again, and the clients of a killed relay move to a sibling at the offset
 * they reached. Every tier's file must end byte-identical to the origin's,
 * and every client must have received exactly the origin's bytes.
 */
class RelayTreeIT {

    /** Records of 16 bytes: the record's own offset, in 15 digits, and a newline. */
    private static final int RECORD = 16;
    private static final int CLIENTS = Integer.getInteger("tailsrv.tree.clients", 100);
    private static final long WRITING_MILLIS = Long.getLong("tailsrv.tree.seconds", 20) * 1000;

    @TempDir
    Path dir;

    @Test
    void aTreeOfRelaysStaysByteExactThroughKillsAndClientsFailOver() throws Exception {
        Path origin = write(dir, "origin.log", "");
        int originPort = Client.freePort();
        List<Integer> tier1 = Client.freePorts(2);
        List<Integer> tier2 = Client.freePorts(4);
        List<Node> nodes = new ArrayList<>();
        Random random = new Random(Long.getLong("tailsrv.tree.seed", System.nanoTime()));
        List<Follower> followers = new ArrayList<>();
        Writer writer = null;
        try (TailsrvProcess originServer = TailsrvProcess.start("-p", "" + originPort, origin.toString()).awaitListening()) {
            for (int i = 0; i < 2; i++) {
                nodes.add(new Node("t1-" + i, tier1.get(i), dir.resolve("t1-" + i + ".log"),
                        "127.0.0.1:" + originPort));
            }
            for (int i = 0; i < 4; i++) {
                int parent = tier1.get(i / 2);
                int uncle = tier1.get(1 - i / 2);
                nodes.add(new Node("t2-" + i, tier2.get(i), dir.resolve("t2-" + i + ".log"),
                        "127.0.0.1:" + parent + ",127.0.0.1:" + uncle));
            }
            for (Node node : nodes) {
                node.start();
            }
            writer = new Writer(origin);
            for (int i = 0; i < CLIENTS; i++) {
                // from the start, or from a record already written (an offset is valid at every tier)
                long start = random.nextBoolean() ? 0 : writer.written / 2 / RECORD * RECORD;
                followers.add(new Follower(tier2, i % tier2.size(), start));
            }
            long kills = 0;
            long slowestRestart = 0;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITING_MILLIS);
            // at least three kills however slowly a loaded machine restarts them, alternately in the first tier
            // and the second (whose clients must then move)
            while (System.nanoTime() < deadline || kills < 3) {
                TimeUnit.MILLISECONDS.sleep(1000 + random.nextInt(2000)); // the tree runs a while between kills
                Node victim = kills % 2 == 0 ? nodes.get(2 + random.nextInt(4)) : nodes.get(random.nextInt(2));
                victim.kill();
                kills++;
                TimeUnit.MILLISECONDS.sleep(200 + random.nextInt(800)); // down for a while: followers fail over
                long restart = System.nanoTime();
                victim.start();
                slowestRestart = Math.max(slowestRestart, System.nanoTime() - restart);
            }
            long end = writer.stop();
            byte[] originHash = sha256(origin, end);
            for (Node node : nodes) {
                await(() -> node.name + " caught up: " + sizeText(node.file) + " of " + end + " bytes",
                        Duration.ofSeconds(60), () -> size(node.file) >= end);
                assertEquals(end, size(node.file), node.name + " holds no more than the origin");
                assertArrayEquals(originHash, sha256(node.file, end), node.name + " is byte-identical to the origin");
            }
            long compared = 0;
            int moves = 0;
            for (Follower follower : followers) {
                try {
                    follower.awaitOffset(end, (port, peer) -> nodes.stream().filter(node -> node.port == port)
                            .findFirst().map(node -> node.describe(peer)).orElse("?"));
                } catch (AssertionError e) {
                    StringBuilder all = new StringBuilder("\nwhere every client is (relay port: offset):");
                    for (Follower other : followers) {
                        all.append(' ').append(other.following).append(": ").append(other.offset);
                    }
                    throw new AssertionError(e.getMessage() + all, e);
                }
                follower.assertClean();
                compared += follower.received.get();
                moves += follower.moves;
            }
            System.out.printf("RelayTreeIT: origin, 2 relays, 4 relays; %d clients; %d kill -9 of relays, each"
                    + " started again (listening within %d ms); %d bytes written; every tier's file byte-identical"
                    + " (SHA-256 %s...); %d bytes checked by clients, 0 mismatched, 0 missing, 0 duplicated; %d client"
                    + " moves to a sibling%n", CLIENTS, kills, TimeUnit.NANOSECONDS.toMillis(slowestRestart), end,
                    HexFormat.of().formatHex(originHash).substring(0, 12), compared, moves);
            assertTrue(moves > 0, "the clients of a killed second-tier relay moved to a sibling");
        } finally {
            if (writer != null) {
                writer.stop();
            }
            for (Follower follower : followers) {
                follower.stop();
            }
            for (Node node : nodes) {
                node.kill();
            }
        }
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    private static String sizeText(Path file) {
        try {
            return Long.toString(size(file));
        } catch (IOException e) {
            return "?";
        }
    }

    private static byte[] sha256(Path file, long length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long left = length;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                sha.update(buffer, 0, n);
                left -= n;
            }
        }
        return sha.digest();
    }

    /**
     * Writes into {@code record} the record at {@code start} of the origin's
     * file: its own offset in 15 digits, and a newline. Once per 16 bytes a
     * client checks, and without String.format: 100 clients check every
     * byte, and a format per byte kept them behind the stream on 2 cores.
     */
    static void record(long start, byte[] record) {
        long value = start;
        record[RECORD - 1] = '\n';
        for (int i = RECORD - 2; i >= 0; i--) {
            record[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** One relay: a bin/tailsrv process of its own, killed with SIGKILL and started again on its port and file. */
    private static final class Node {
        final String name;
        final int port;
        final Path file;
        final String upstream;
        TailsrvProcess process;

        Node(String name, int port, Path file, String upstream) {
            this.name = name;
            this.port = port;
            this.file = file;
            this.upstream = upstream;
        }

        void start() throws Exception {
            process = TailsrvProcess.start("-p", "" + port, "--upstream", upstream, file.toString());
            try {
                process.awaitListening();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + describe("-"), e);
            }
        }

        /** Its name, whether it runs, its log's lines about {@code peer} and its last ten: for a failure. */
        String describe(String peer) {
            List<String> log = process == null ? List.of() : process.stderr();
            List<String> about = log.stream().filter(line -> line.contains(peer + " ")).toList();
            String threads = "";
            if (process != null && process.isAlive()) {
                try {
                    threads = "\nits threads:\n" + new String(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), "" + process.pid(),
                            "Thread.print").redirectErrorStream(true).start().getInputStream().readAllBytes(),
                            StandardCharsets.UTF_8);
                } catch (IOException e) {
                    threads = "\n(no thread dump: " + e + ")";
                }
            }
            return name + (process != null && process.isAlive() ? " (running)" : " (not running)") + threads + "; about "
                    + peer + ":\n  " + String.join("\n  ", about) + "\nlast lines:\n  "
                    + String.join("\n  ", log.subList(Math.max(0, log.size() - 10), log.size()));
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.awaitExit(WAIT);
            }
        }
    }

    /** Appends records to the origin as fast as it can, a few at a time, until stopped. */
    private static final class Writer {
        private final Thread thread;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile long written;
        private volatile Exception failure;

        Writer(Path file) {
            thread = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                    long offset = 0;
                    while (!stopped.get()) {
                        StringBuilder batch = new StringBuilder();
                        for (int i = 0; i < 64; i++) {
                            batch.append(String.format("%015d\n", offset));
                            offset += RECORD;
                        }
                        out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        written = offset;
                        TimeUnit.MICROSECONDS.sleep(500); // a busy log's pace, about 2 MB/s
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "tree-writer");
            thread.start();
        }

        long stop() throws Exception {
            stopped.set(true);
            thread.join();
            if (failure != null) {
                throw failure;
            }
            return written;
        }
    }

    /**
     * A client of the last tier that checks every byte against the record
     * format, and, when its relay goes, reconnects to a sibling at the
     * offset it reached.
     */
    private static final class Follower {
        final AtomicLong received = new AtomicLong();
        private final List<Integer> ports;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile long offset;
        /** The port of the relay it follows now. */
        private volatile int following;
        private volatile String peer = "";
        private volatile String failure;
        int moves;

        Follower(List<Integer> ports, int first, long start) {
            this.ports = ports;
            thread = new Thread(() -> run(first, start), "tree-follower");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(int first, long start) {
            int at = first;
            offset = start;
            byte[] buffer = new byte[8192];
            byte[] expected = new byte[RECORD];
            long recordAt = -1; // the start of the record in expected
            while (!stopped) {
                following = ports.get(at);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", ports.get(at)), 2000);
                    peer = "127.0.0.1:" + socket.getLocalPort();
                    socket.getOutputStream().write((offset + "\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    int n;
                    while (!stopped && (n = in.read(buffer)) > 0) {
                        for (int i = 0; i < n; i++) {
                            long recordStart = offset - offset % RECORD;
                            if (recordStart != recordAt) {
                                record(recordStart, expected);
                                recordAt = recordStart;
                            }
                            byte wanted = expected[(int) (offset - recordStart)];
                            if (buffer[i] != wanted) {
                                failure = "byte " + offset + " is '" + (char) buffer[i] + "', not '" + (char) wanted + "'";
                                return;
                            }
                            offset++;
                        }
                        received.addAndGet(n);
                    }
                } catch (IOException relayGone) {
                    // killed, or not back yet: a sibling, at the offset reached
                }
                at = (at + 1) % ports.size();
                moves++;
            }
        }

        void awaitOffset(long end, java.util.function.BiFunction<Integer, String, String> relay) throws Exception {
            await(() -> "a client reached " + offset + " of " + end + (failure == null ? "" : "; " + failure)
                    + "; it follows " + relay.apply(following, peer),
                    Duration.ofSeconds(60), () -> offset >= end || failure != null);
        }

        void assertClean() {
            assertEquals(null, failure, "the bytes a client received");
        }

        void stop() {
            stopped = true;
        }
    }
}
