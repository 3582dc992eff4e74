package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.await;
import static io.tailsrv.runtime.TestSupport.readOrReset;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that misbehave, in numbers: silent ones, endless headers,
 * more than max.clients, more than the process has descriptors for, and a
 * hundred thousand that come and go. Each test prints its figures.
 */
class AbuseIT {

    @TempDir
    Path dir;

    /**
     * 5000 connections that never send a header are each closed when
     * header.timeout (2 s) runs out, not before and not much after, without
     * a byte; meanwhile a client that sends its header gets its first byte
     * within 100 ms (nine times in ten: on a shared 2-core machine a probe can
     * lose the CPU for longer than tailsrv takes to answer; none waits 1 s).
     */
    @Test
    void silentConnectionsAreClosedAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        int silent = 5000;
        long limit = ProcFs.openFilesLimit(ProcessHandle.current().pid());
        assumeTrue(limit > silent + 1000, "this test needs " + (silent + 1000)
                + " descriptors and may open only " + limit + " (ulimit -n)");
        Path log = write(dir, "quiet.log", "0123456789".repeat(10));
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        // max.pending above the flood: this test is about the timeout, PipelineIT about eviction
        config.serve("quiet", log, port, "header.timeout = 2", "max.pending = 10000");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("quiet")) {
            assertTrue(ProcFs.openFilesLimit(server.pid()) > silent + 1000,
                    "tailsrv may open only " + ProcFs.openFilesLimit(server.pid()) + " descriptors");
            long[] connected = new long[silent];
            long[] closed = new long[silent];
            long[] bytes = new long[1];
            int[] open = {0};
            try (Prober prober = new Prober(port, "-1", 1);
                    Selector selector = Selector.open()) {
                for (int i = 0; i < silent; i++) {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    connected[i] = System.nanoTime();
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, i);
                    open[0]++;
                }
                ByteBuffer buffer = ByteBuffer.allocate(512);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (open[0] > 0 && System.nanoTime() < deadline) {
                    selector.select(key -> {
                        int i = (Integer) key.attachment();
                        buffer.clear();
                        int n;
                        try {
                            n = ((SocketChannel) key.channel()).read(buffer);
                        } catch (IOException reset) {
                            n = -1;
                        }
                        if (n > 0) {
                            bytes[0] += n;
                        } else if (n < 0) {
                            closed[i] = System.nanoTime();
                            open[0]--;
                            key.cancel();
                            closeQuietly(key.channel());
                        }
                    }, 1000);
                }
                for (SelectionKey key : selector.keys()) {
                    closeQuietly(key.channel());
                }
                prober.stop();
                assertEquals(0, open[0], open[0] + " of " + silent + " silent connections still open after 20 s");

                double[] lived = new double[silent];
                for (int i = 0; i < silent; i++) {
                    lived[i] = (closed[i] - connected[i]) / 1e9;
                }
                Arrays.sort(lived);
                long[] probes = prober.latencies();
                System.out.printf("AbuseIT silent: %d connections without a header (header.timeout = 2): closed "
                                + "%.2f-%.2f s after connecting (median %.2f s), %d bytes sent to them; a good client "
                                + "meanwhile: %d probes, first byte in %.1f ms median, %.1f ms at the 90th percentile, "
                                + "%.1f ms at most%n",
                        silent, lived[0], lived[silent - 1], lived[silent / 2], bytes[0], probes.length,
                        probes[probes.length / 2] / 1e6, probes[probes.length * 9 / 10] / 1e6,
                        probes[probes.length - 1] / 1e6);
                assertEquals(0, bytes[0], "bytes sent to connections that sent no header");
                assertTrue(lived[0] >= 1.95, "one was closed " + lived[0] + " s after connecting, before the timeout");
                assertTrue(lived[silent - 1] <= 4.0,
                        "one was closed only " + lived[silent - 1] + " s after connecting");
                assertTrue(probes.length >= 10, "only " + probes.length + " probes ran");
                String waits = Arrays.toString(Arrays.stream(probes).map(p -> p / 1_000_000).toArray());
                assertTrue(probes[probes.length * 9 / 10] < TimeUnit.MILLISECONDS.toNanos(100),
                        "a good client waited 100 ms or more for its first byte too often (ms): " + waits);
                assertTrue(probes[probes.length - 1] < TimeUnit.SECONDS.toNanos(1),
                        "a good client waited a second for its first byte (ms): " + waits);
            }
            awaitCount(() -> server.logged("\\[quiet\\] .* rejected: no header within").size(), silent,
                    "warnings for silent connections");
        }
    }

    /**
     * The longest header is 64 bytes before its newline: exactly that is
     * served; a 65th byte that is not the newline closes the connection at
     * once, whether it arrives alone or in an endless stream, having read no
     * more than 65 bytes as a header and sent nothing.
     */
    @Test
    void anEndlessHeaderLineIsCutAtSixtyFiveBytes() throws Exception {
        Path log = write(dir, "line.log", "0123456789");
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        config.serve("line", log, port);
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("line")) {
            try (Client longest = Client.connect(port)) {
                longest.send(" ".repeat(62) + "-3");
                longest.send("\n");
                assertEquals("789", longest.readString(3), "a 64-byte header is served");
            }
            try (Client tooLong = Client.connect(port)) {
                tooLong.send("0".repeat(64));
                tooLong.send("0");
                assertTrue(tooLong.closedByServer(), "the 65th byte closes the connection");
                server.awaitLog("rejected: header longer than 64 bytes: \"" + "0".repeat(65) + "\"$", WAIT);
            }

            // Endless: a writer that never stops sending digits.
            try (Socket socket = new Socket("127.0.0.1", port)) {
                AtomicLong written = new AtomicLong();
                long start = System.nanoTime();
                Thread writer = new Thread(() -> {
                    byte[] digits = new byte[4096];
                    Arrays.fill(digits, (byte) '0');
                    try {
                        while (true) {
                            socket.getOutputStream().write(digits);
                            written.addAndGet(digits.length);
                        }
                    } catch (IOException closed) {
                        // the server closed the connection: what this test waits for
                    }
                }, "endless-header");
                writer.start();
                socket.setSoTimeout(10_000);
                int first = readOrReset(socket.getInputStream());
                long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                writer.join(10_000);
                String line = server.awaitLog("rejected: header longer than 64 bytes: \"0+\"$", WAIT);
                int quoted = line.substring(line.indexOf('"') + 1, line.length() - 1).length();
                System.out.printf("AbuseIT endless header: closed %d ms after it began, %d bytes quoted as the "
                        + "header, %d bytes written before the writer saw the close, 0 bytes sent%n",
                        closedMillis, quoted, written.get());
                assertEquals(-1, first, "no byte is sent to a client whose header is too long");
                assertEquals(65, quoted, line);
                assertTrue(closedMillis < 2000, "closed only after " + closedMillis + " ms");
                assertTrue(!writer.isAlive(), "the endless writer was stopped by the close");
            }
        }
    }

    /**
     * With max.clients = 10, ten clients stream; twenty more are closed at
     * once, without a byte, and the ten never notice; when one of the ten
     * leaves, a newcomer gets its place.
     */
    @Test
    void connectionsBeyondMaxClientsAreClosedAtOnce() throws Exception {
        Path log = write(dir, "max.log", "x".repeat(100));
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        config.serve("max", log, port, "max.clients = 10");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("max")) {
            List<Client> admitted = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    Client client = Client.request(port, "0");
                    assertEquals("x".repeat(100), client.readString(100));
                    admitted.add(client);
                }
                long slowest = 0;
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    try (Client extra = Client.request(port, "0")) {
                        assertTrue(extra.closedByServer(), "connection " + (11 + i) + " is closed");
                    }
                    slowest = Math.max(slowest, System.nanoTime() - start);
                }
                awaitCount(() -> server.logged("\\[max\\] .* refused: max\\.clients \\(10\\) reached").size(), 20,
                        "refusals");
                append(log, "more\n");
                for (Client client : admitted) {
                    assertEquals("more\n", client.readString(5), "an admitted client carries on");
                }
                Client leaving = admitted.remove(0);
                leaving.socket.setSoLinger(true, 0);
                leaving.close();
                server.awaitLog("\\[max\\] .* gone after 105 bytes", WAIT);
                try (Client newcomer = Client.request(port, "-5")) {
                    assertEquals("more\n", newcomer.readString(5), "a place freed is taken");
                }
                System.out.printf("AbuseIT max.clients: 10 admitted and streaming, 20 beyond the limit each closed "
                        + "within %.1f ms without a byte, a freed place taken at once%n", slowest / 1e6);
                assertTrue(slowest < TimeUnit.SECONDS.toNanos(1), "a refusal took " + slowest / 1e6 + " ms");
            } finally {
                for (Client client : admitted) {
                    client.close();
                }
            }
        }
    }

    /**
     * max.clients counts streaming clients only, and max.pending (1000 by
     * default) bounds connections still in their handshake by closing the
     * one that has waited longest: 5000 silent connections against an
     * instance with max.clients = 100 neither keep out a client that sends
     * its header promptly (its first byte within 100 ms, nine times in ten,
     * over 20 tries) nor disturb the streaming clients admitted (99 that stay
     * for the whole test, and the probe's turn makes 100).
     */
    @Test
    void silentConnectionsCannotLockOutClientsThatSendTheirHeader() throws Exception {
        int silent = 5000;
        int streaming = 99;
        long limit = ProcFs.openFilesLimit(ProcessHandle.current().pid());
        assumeTrue(limit > silent + streaming + 1000, "this test needs " + (silent + streaming + 1000)
                + " descriptors and may open only " + limit + " (ulimit -n)");
        Path log = write(dir, "busy.log", "0123456789");
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        config.serve("busy", log, port, "max.clients = 100");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("busy");
                Ticker ticker = new Ticker(log);
                Drain admitted = new Drain(port, streaming, "0")) {
            long[] before = admitted.received();
            List<SocketChannel> flood = new ArrayList<>();
            try (Prober prober = new Prober(port, "-1", 1)) {
                for (int i = 0; i < silent; i++) {
                    flood.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                }
                server.awaitLog("\\[busy\\] .* closed: it waited longest in its handshake", WAIT);
                await(() -> prober.latencies().length + " of 20 probes", Duration.ofSeconds(30),
                        () -> prober.latencies().length >= 20);
                prober.stop();
                long[] probes = prober.latencies();
                long[] after = admitted.received();
                int evicted = server.logged("\\[busy\\] .* closed: it waited longest in its handshake").size();
                long p90 = probes[(int) Math.ceil(probes.length * 0.9) - 1];
                System.out.printf("AbuseIT pending: %d silent connections, max.clients 100, max.pending 1000: "
                                + "%d evicted, longest waiting first; %d probes: first byte in %.1f ms median, %.1f ms "
                                + "at the 90th percentile, %.1f ms at most; %d streaming clients kept streaming "
                                + "(%d to %d bytes each meanwhile)%n", silent, evicted, probes.length,
                        probes[probes.length / 2] / 1e6, p90 / 1e6, probes[probes.length - 1] / 1e6, streaming,
                        minGrowth(before, after), maxGrowth(before, after));
                assertTrue(p90 <= TimeUnit.MILLISECONDS.toNanos(100), "p90 " + p90 / 1e6 + " ms");
                assertTrue(evicted >= silent - 1000 - 50, evicted + " evictions for " + silent + " silent ones");
                assertEquals(0, server.logged("\\[busy\\] .* refused: max\\.clients").size(),
                        "no well-behaved client was refused");
                assertTrue(minGrowth(before, after) > 0, "every admitted client kept receiving");
                admitted.assertNoneClosed();
            } finally {
                flood.forEach(AbuseIT::closeQuietly);
            }
        }
    }

    /**
     * Clients that leave while the file is idle: one that resets is released
     * at once, one that closed gracefully (a FIN, then nothing) at the first
     * append after it left, not the second, and one that only half-closed
     * keeps receiving. Descriptors tell what tailsrv still holds.
     */
    @Test
    void clientsThatLeaveAreReleasedAtTheFirstAppend() throws Exception {
        Path log = write(dir, "leave.log", "0123456789");
        int port = Client.freePort();
        int each = 30;
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, log.toString()).awaitListening()) {
            long pid = server.pid();
            try (Client warm = Client.request(port, "0")) {
                warm.readString(10);
                warm.socket.setSoLinger(true, 0); // a reset: released at once
            }
            await("the warm-up client released", WAIT, () -> server.logged(" gone after ").size() == 1);
            int baseline = ProcFs.openSockets(pid);
            List<Client> halfClosed = new ArrayList<>();
            List<Client> closed = new ArrayList<>();
            List<Client> reset = new ArrayList<>();
            try {
                for (int i = 0; i < each; i++) {
                    for (List<Client> kind : List.of(halfClosed, closed, reset)) {
                        Client client = Client.request(port, "0");
                        assertEquals("0123456789", client.readString(10));
                        kind.add(client);
                    }
                }
                await(() -> "all connected: " + sockets(pid), WAIT,
                        () -> ProcFs.openSockets(pid) == baseline + 3 * each);
                for (int i = 0; i < each; i++) {
                    halfClosed.get(i).socket.shutdownOutput();
                    closed.get(i).close();
                    reset.get(i).socket.setSoLinger(true, 0);
                    reset.get(i).close();
                }
                await(() -> "resets released while the file is idle: " + sockets(pid), WAIT,
                        () -> ProcFs.openSockets(pid) == baseline + 2 * each);
                await(() -> "the resets logged", WAIT, // and the warm-up's
                        () -> server.logged(" gone after 10 bytes: connection reset by peer").size() == each + 1);

                append(log, "!");

                await(() -> "graceful closes released by one append: " + sockets(pid)
                        + ", " + baseline + " + " + each + " expected", WAIT,
                        () -> ProcFs.openSockets(pid) == baseline + each);
                for (Client client : halfClosed) {
                    assertEquals("!", client.readString(1), "a half-closed client keeps receiving");
                }
                assertEquals(2 * each + 1, server.logged(" gone after ").size(), "gone: warm-up, resets, closes");
                System.out.printf("AbuseIT leaving: %d half-closed, %d closed, %d reset; resets released at once, "
                        + "closes at the first append; sockets %d + %d left for the half-closed%n",
                        each, each, each, baseline, ProcFs.openSockets(pid) - baseline);
            } finally {
                for (Client client : halfClosed) {
                    client.close();
                }
            }
        }
    }

    /**
     * Under ulimit -n 200, 400 connections exhaust tailsrv's descriptors:
     * it logs the accept failure and pauses accepting, burns no CPU while
     * the listener stays readable, stays up, and serves again once the
     * connections are gone: at once if they were reset; if they closed
     * gracefully, at the next append (a client that closed its side looks
     * like one that half-closed and still reads, until a send to it draws
     * its reset).
     */
    @Test
    void runningOutOfDescriptorsNeitherSpinsNorKillsAndServesAgainAfter() throws Exception {
        Path log = write(dir, "fd.log", "0123456789");
        int port = Client.freePort();
        List<String> lowLimit = List.of("sh", "-c", "ulimit -n 200 && exec \"$0\" \"$@\"");
        try (TailsrvProcess server = TailsrvProcess.start(lowLimit, Map.of(), "-p", "" + port, log.toString())
                .awaitListening()) {
            long pid = server.pid();
            assertEquals(200, ProcFs.openFilesLimit(pid));
            int idle = ProcFs.openFiles(pid);

            List<Client> clients = exhaust(server, port);
            int atLimit = ProcFs.openFiles(pid);
            long cpuBefore = ProcFs.cpuMillis(pid);
            long before = System.nanoTime();
            TimeUnit.SECONDS.sleep(3); // a measurement window: CPU time spent while the listener stays readable
            long cpu = ProcFs.cpuMillis(pid) - cpuBefore;
            long window = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            int failures = server.logged("accepting a connection failed").size();
            assertTrue(server.isAlive(), "tailsrv died");
            for (Client client : clients) {
                client.socket.setSoLinger(true, 0);
                client.close();
            }
            long afterReset = millisToBeServed(port);

            clients = exhaust(server, port);
            for (Client client : clients) {
                client.close();
            }
            long afterClose;
            try (Ticker ticker = new Ticker(log)) {
                afterClose = millisToBeServed(port);
            }

            System.out.printf("AbuseIT descriptors: ulimit -n 200, %d in use idle, %d at the limit after 400 "
                    + "connections; accept failed and paused %d times in %d ms, using %d ms of CPU; alive; a new "
                    + "client served %d ms after the others reset; %d ms after they closed gracefully, the file "
                    + "growing every 20 ms%n", idle, atLimit, failures, window, cpu, afterReset, afterClose);
            assertTrue(atLimit >= 190, "only " + atLimit + " descriptors open: the limit was not reached");
            assertTrue(cpu < 300, "tailsrv spent " + cpu + " ms of CPU in " + window + " ms: it spins");
            assertTrue(failures <= 2 + window / 1000, failures + " failures logged in " + window
                    + " ms: more than one per pause");
            assertTrue(server.logged("ERROR|Exception").isEmpty(), server.logged("ERROR|Exception").toString());
        }
    }

    /** Connects 400 clients, each sending a header; returns once tailsrv has run out of descriptors. */
    private static List<Client> exhaust(TailsrvProcess server, int port) throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            clients.add(Client.request(port, "0")); // connects even when not accepted: the backlog holds it
        }
        server.awaitLog("accepting a connection failed \\(Too many open files\\); pausing accepts", WAIT);
        for (Client client : clients.subList(0, 100)) {
            assertEquals("0123456789", client.readString(10), "the first connections are served");
        }
        return clients;
    }

    /** How long a new client waits for the start of the file. */
    private static long millisToBeServed(int port) throws IOException {
        long start = System.nanoTime();
        try (Client again = Client.request(port, "0")) {
            assertEquals("0123456789", again.readString(10), "served again");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * 100 000 connections come and go, with and without a header, closed
     * gracefully or reset: afterwards tailsrv holds no more descriptors,
     * threads or heap (after a full GC) than before them. The file grows a
     * little all along: a client that closed gracefully after catching up
     * looks half-closed until the next append, when it is released.
     */
    @Test
    void aHundredThousandConnectionsLeaveNothingBehind() throws Exception {
        int cycles = Integer.getInteger("tailsrv.abuse.cycles", 100_000);
        int warmUp = 5_000;
        Path log = write(dir, "cycle.log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, log.toString()).awaitListening();
                Ticker ticker = new Ticker(log)) {
            long pid = server.pid();
            cycle(port, warmUp); // classes loaded, code compiled, buffers allocated
            awaitGone(server, ticker, warmUp);
            long heapBefore = ProcFs.heapUsedAfterFullGc(pid); // also starts the JVM's attach listener thread
            int fdsBefore = ProcFs.openFiles(pid);
            int threadsBefore = ProcFs.threads(pid);

            long start = System.nanoTime();
            long[] kinds = cycle(port, cycles);
            double seconds = (System.nanoTime() - start) / 1e9;
            awaitGone(server, ticker, warmUp + cycles);

            int fdsAfter = ProcFs.openFiles(pid);
            int threadsAfter = ProcFs.threads(pid);
            long heapAfter = ProcFs.heapUsedAfterFullGc(pid);
            System.out.printf("AbuseIT cycles: %d connect/disconnect cycles in %.1f s (%d without a header closed, "
                            + "%d without a header reset, %d served then closed, %d served then reset): "
                            + "descriptors %d -> %d, threads %d -> %d, heap after full GC %d KiB -> %d KiB%n",
                    cycles, seconds, kinds[0], kinds[1], kinds[2], kinds[3], fdsBefore, fdsAfter,
                    threadsBefore, threadsAfter, heapBefore >> 10, heapAfter >> 10);
            assertTrue(fdsAfter <= fdsBefore + 2, "descriptors grew from " + fdsBefore + " to " + fdsAfter);
            assertTrue(threadsAfter <= threadsBefore + 2, "threads grew from " + threadsBefore + " to " + threadsAfter);
            assertTrue(heapAfter <= heapBefore + (2 << 20),
                    "heap after a full GC grew from " + heapBefore + " to " + heapAfter + " bytes");
            try (Client client = Client.request(port, "0")) {
                assertEquals("0123456789", client.readString(10), "still serving");
            }
        }
    }

    /** Waits until tailsrv logged {@code count} clients gone, appending once more to release the last ones. */
    private static void awaitGone(TailsrvProcess server, Ticker ticker, int count) throws Exception {
        ticker.tick();
        awaitCount(() -> server.logged(" gone after ").size(), count, "connections gone");
    }

    // ---- helpers ----

    /**
     * {@code count} connections from four threads, of four kinds in turn:
     * no header then closed, no header then reset, a header and the first
     * byte received then closed, the same then reset. Returns how many of each.
     */
    private static long[] cycle(int port, int count) throws Exception {
        int threads = 4;
        long[] kinds = new long[4];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                results.add(pool.submit(() -> {
                    long[] done = new long[4];
                    byte[] header = "0\n".getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < share; i++) {
                        int kind = i % 4;
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                            socket.setSoTimeout(10_000);
                            if (kind >= 2) {
                                socket.getOutputStream().write(header);
                                int b = socket.getInputStream().read();
                                if (b != '0') {
                                    throw new AssertionError("expected the first byte, '0', got " + b);
                                }
                            }
                            if (kind % 2 == 1) {
                                socket.setSoLinger(true, 0);
                            }
                        }
                        done[kind]++;
                    }
                    return done;
                }));
            }
            for (Future<long[]> result : results) {
                long[] done = result.get(10, TimeUnit.MINUTES);
                for (int k = 0; k < 4; k++) {
                    kinds[k] += done[k];
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return kinds;
    }

    /** Waits up to 30 s for {@code counter} to reach {@code expected}, and checks it went no further. */
    private static void awaitCount(IntSupplier counter, int expected, String what) throws Exception {
        await(() -> what + ": " + counter.getAsInt() + " of " + expected, Duration.ofSeconds(30),
                () -> counter.getAsInt() >= expected);
        assertEquals(expected, counter.getAsInt(), what);
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a test socket: nothing to do
        }
    }

    /** The process's open descriptors, for a failure's description. */
    private static String sockets(long pid) {
        try {
            return ProcFs.openSockets(pid) + " sockets";
        } catch (IOException e) {
            return "(sockets unknown: " + e + ")";
        }
    }

    private static long minGrowth(long[] before, long[] after) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < before.length; i++) {
            min = Math.min(min, after[i] - before[i]);
        }
        return min;
    }

    private static long maxGrowth(long[] before, long[] after) {
        long max = 0;
        for (int i = 0; i < before.length; i++) {
            max = Math.max(max, after[i] - before[i]);
        }
        return max;
    }

    /**
     * {@code count} streaming clients, read by one thread with a selector
     * until closed: what each received, and whether the server closed any.
     */
    static final class Drain implements AutoCloseable {
        private final List<SocketChannel> channels = new ArrayList<>();
        private final long[] received;
        private final Selector selector;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile int closedByServer;

        Drain(int port, int count, String header) throws IOException {
            received = new long[count];
            selector = Selector.open();
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, i);
                channels.add(channel);
            }
            thread = new Thread(this::run, "drain");
            thread.setDaemon(true);
            thread.start();
        }

        /** What each client has received so far. */
        synchronized long[] received() {
            return received.clone();
        }

        void assertNoneClosed() {
            assertEquals(0, closedByServer, "streaming clients closed by the server");
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
            try {
                while (!stopped) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        buffer.clear();
                        int n = ((SocketChannel) key.channel()).read(buffer);
                        if (n < 0) {
                            closedByServer++;
                            key.cancel();
                        } else {
                            synchronized (this) {
                                received[(Integer) key.attachment()] += n;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                closedByServer++;
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stopped = true;
            thread.join(5_000);
            selector.close();
            channels.forEach(AbuseIT::closeQuietly);
        }
    }

    /**
     * A well-behaved client, over and over from its own thread: connects,
     * sends a header, and times the wait for the first {@code bytes} bytes.
     */
    static final class Prober implements AutoCloseable {
        private final Thread thread;
        private final List<Long> latencies = new ArrayList<>();
        private volatile boolean stopped;
        private volatile AssertionError failure;

        Prober(int port, String header, int bytes) {
            thread = new Thread(() -> {
                while (!stopped) {
                    long start = System.nanoTime();
                    try (Client client = Client.request(port, header)) {
                        client.read(bytes);
                        synchronized (latencies) {
                            latencies.add(System.nanoTime() - start);
                        }
                    } catch (IOException | AssertionError e) {
                        failure = new AssertionError("a good client failed", e);
                        return;
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(100); // the probes' pace
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "prober");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(20_000);
            if (failure != null) {
                throw failure;
            }
        }

        /** Every probe's wait, sorted. */
        long[] latencies() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(20_000);
        }
    }

    /** Appends a byte to a file every 20 ms from its own thread, and on demand. */
    static final class Ticker implements AutoCloseable {
        private final Path file;
        private final Thread thread;
        private volatile boolean stopped;

        Ticker(Path file) {
            this.file = file;
            thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        tick();
                        TimeUnit.MILLISECONDS.sleep(20); // the writer's pace
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "ticker");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void tick() throws IOException {
            append(file, ".");
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(5_000);
        }
    }
}
