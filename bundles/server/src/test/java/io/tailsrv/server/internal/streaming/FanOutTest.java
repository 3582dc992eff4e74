package io.tailsrv.server.internal.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.ZeroCopySender;
import io.tailsrv.protocol.internal.DecimalOffsetProtocol;
import io.tailsrv.sendfile.internal.PollPeerProbe;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.InstanceLog;
import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.connection.Connection;
import io.tailsrv.server.internal.handshake.Handshake;
import io.tailsrv.server.internal.handshake.PendingConnections;
import io.tailsrv.server.internal.loop.Dispatch;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.IoThreads;

/**
 * The fan-out: an append reaches every client of the file on a loop in one
 * pass, a client whose socket is full waits for it to drain without holding
 * up the others or spinning, truncation and deletion close the clients they
 * leave nothing to send, and a client that has gone entirely is released at
 * the first append after it went. Real loopback sockets, a real I/O loop and
 * a real file; the test plays the file watch's thread, and the zero-copy
 * sender is a recording one that sends with {@link FileChannel#transferTo}.
 */
class FanOutTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private IoThreads io;
    private IoLoop loop;
    private Path path;
    private FileChannel file;
    private ServerSocketChannel server;
    private RecordingSender sender;
    private FanOut fanOut;
    private InstanceContext context;
    private final PendingConnections pending = new PendingConnections();
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        io = new IoThreads();
        io.start(1);
        loop = io.loop(0);
        path = dir.resolve("served.log");
        Files.writeString(path, "0123456789");
        file = FileChannel.open(path, StandardOpenOption.READ);
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)); // held until the end
        sender = new RecordingSender();
        fanOut = new FanOut(io);
        Settings settings = Settings.from(Map.of(InstanceConfig.FILE, path.toString(), InstanceConfig.PORT, "4321"));
        context = new InstanceContext(settings, new InstanceLog("test", 4321, path.toString()),
                new DecimalOffsetProtocol(), sender, new PollPeerProbe(), null, null);
        fanOut.opened(file, Files.size(path)); // as the file watch reports it
    }

    @AfterEach
    void stop() throws Exception {
        fanOut.closeAll("test over");
        for (Socket client : clients) {
            client.close();
        }
        server.close();
        io.stop();
        file.close();
    }

    @Test
    void anAppendReachesEveryCaughtUpClientInOneSendEach() throws Exception {
        List<Socket> three = List.of(connect("0"), connect("0"), connect("-4"));
        assertEquals("0123456789", read(three.get(0), 10));
        assertEquals("0123456789", read(three.get(1), 10));
        assertEquals("6789", read(three.get(2), 4));
        int before = sender.calls.get();

        append("abcde");

        for (Socket client : three) {
            assertEquals("abcde", read(client, 5));
        }
        assertEquals(3, sender.calls.get() - before, "one send per caught-up client");
        assertEquals(3, fanOut.streaming());
    }

    @Test
    void aClientWhoseSocketIsFullHoldsUpNoOneAndWaitsWithoutSpinning() throws Exception {
        byte[] data = grownBy4MiB(7);
        Socket stalled = slowReader("0");
        Socket reader = connect("0");
        assertArrayEquals(data, readBytes(reader, data.length), "the reading client gets every byte");

        await("the stalled client's socket is full", () -> sender.bytesTo(stalled.getLocalPort()) > 0
                && sender.bytesTo(stalled.getLocalPort()) < data.length);
        int sendsWhileFull = sender.sendsTo(stalled.getLocalPort());
        append("tail!");
        assertEquals("tail!", read(reader, 5), "an append reaches the reader at once");
        TimeUnit.MILLISECONDS.sleep(300); // time passing with the socket still full is what is tested
        int more = sender.sendsTo(stalled.getLocalPort()) - sendsWhileFull;
        assertTrue(more <= 2, more + " sends to a full socket in 300 ms: it must wait for the selector");

        byte[] all = readBytes(stalled, data.length + 5);
        assertArrayEquals(data, Arrays.copyOf(all, data.length), "once it reads, it gets every byte");
        assertEquals("tail!", new String(all, data.length, 5, StandardCharsets.US_ASCII));
    }

    /**
     * A client catching up a backlog alone on its loop is corked, and
     * uncorked once it has all there is; one that starts while another is
     * still behind is not corked (many corked sockets fan out slower).
     */
    @Test
    void aLoneClientCatchingUpIsCorkedUntilItHasItAll() throws Exception {
        byte[] data = grownBy4MiB(3);
        Socket stalled = slowReader("0"); // not reading yet: it stays behind
        await("the stalled client's socket is full", () -> sender.bytesTo(stalled.getLocalPort()) > 0);
        Socket reader = connect("0");
        assertArrayEquals(data, readBytes(reader, data.length));
        assertEquals(List.of(true), sender.corkings(stalled.getLocalPort()), "alone, behind: corked");
        assertEquals(List.of(), sender.corkings(reader.getLocalPort()), "started while another was behind");

        byte[] all = readBytes(stalled, data.length);
        assertArrayEquals(data, all);
        await("uncorked once caught up", () -> sender.corkings(stalled.getLocalPort()).equals(List.of(true, false)));
        append("tail!");
        assertEquals("tail!", read(stalled, 5));
        assertEquals("tail!", read(reader, 5));
        assertEquals(List.of(true, false), sender.corkings(stalled.getLocalPort()), "an append is not a backlog");
    }

    @Test
    void truncationClosesOnlyTheClientsPastTheNewEnd() throws Exception {
        byte[] data = grownBy4MiB(11);
        Socket behind = slowReader("0"); // not reading: it stays far behind the end
        Socket atEnd = connect("-1");
        assertEquals(1, readBytes(atEnd, 1).length);
        await("the client behind is stuck early in the file",
                () -> sender.bytesTo(behind.getLocalPort()) > 0 && sender.bytesTo(behind.getLocalPort()) < 1 << 20);

        int newEnd = 2 << 20;
        try (FileChannel writer = FileChannel.open(path, StandardOpenOption.WRITE)) {
            writer.truncate(newEnd);
        }
        report(() -> fanOut.truncated(newEnd));

        assertTrue(closedByServer(atEnd), "the client at the old end has nothing left to be sent");
        await("one client left", () -> fanOut.streaming() == 1);
        append("XY");
        byte[] rest = readBytes(behind, newEnd + 2);
        assertArrayEquals(Arrays.copyOf(data, newEnd), Arrays.copyOf(rest, newEnd), "the other carries on");
        assertEquals("XY", new String(rest, newEnd, 2, StandardCharsets.US_ASCII));
    }

    @Test
    void aGoneFileClosesItsClientsThenLetsGoOfTheFile() throws Exception {
        Socket client = connect("0");
        assertEquals("0123456789", read(client, 10));
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        int[] clientsAtRelease = {-1};

        report(() -> fanOut.gone(() -> {
            clientsAtRelease[0] = fanOut.streaming();
            released.countDown();
        }));

        assertTrue(closedByServer(client));
        assertTrue(released.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the file is let go of");
        assertEquals(0, clientsAtRelease[0], "no client of the file was left when it was let go of");
    }

    @Test
    void clientsThatWentAwayAreReleasedAtTheFirstAppend() throws Exception {
        Socket halfClosed = connect("0");
        Socket closed = connect("0");
        Socket reset = connect("0");
        for (Socket client : List.of(halfClosed, closed, reset)) {
            assertEquals("0123456789", read(client, 10));
        }
        halfClosed.shutdownOutput();
        closed.close();
        reset.setSoLinger(true, 0);
        reset.close();
        await("the reset client is released while the file is idle", () -> fanOut.streaming() == 2);
        // The closed one looks like the half-closed one until a send to it draws its reset.
        await("the server read both ends of stream", () -> loop.call(() -> fanOut.on(loop).halfClosed()) == 2);

        append("once");

        await("released at the first append, with no second one", () -> fanOut.streaming() == 1);
        assertEquals("once", read(halfClosed, 4), "a half-closed client keeps receiving");
    }

    /**
     * A client that closes just as an append is on its way: the send reaches it before its loop has read its end
     * of stream. The reset that send draws must release it then, not at a second append.
     */
    @Test
    void aClientThatClosedAsAnAppendWasSentIsReleasedWithoutASecondAppend() throws Exception {
        Socket closed = connect("0");
        assertEquals("0123456789", read(closed, 10));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        loop.execute(() -> { // the loop busy elsewhere: what follows waits for this turn's end
            holding.countDown();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        closed.close();
        append("once"); // sent in this same turn, before the next select reads the end of stream
        held.countDown();

        await("released at that append", () -> fanOut.streaming() == 0);
        assertEquals(2, sender.sendsTo(closed.getLocalPort()), "the catch-up and the append were sent, and no more");
    }

    @Test
    void theFileWatchThreadServesASmallIdleGroupItselfAndLeavesALargeOneToItsLoop() throws Exception {
        String atTheEnd = String.valueOf(Files.size(path));
        List<Socket> few = new ArrayList<>();
        for (int i = 0; i < Dispatch.INLINE_CLIENTS; i++) {
            few.add(connect(atTheEnd));
        }
        await("the loop idle", loop::isIdle);
        sender.threads.clear();

        append("a");

        for (Socket client : few) {
            assertEquals("a", read(client, 1));
        }
        assertEquals(List.of(Thread.currentThread().getName()), sender.threads.stream().distinct().toList(),
                "a small group on an idle loop is served by the thread that saw the append");

        connect(String.valueOf(Files.size(path)));
        await("the loop idle", loop::isIdle);
        sender.threads.clear();

        append("b");

        for (Socket client : few) {
            assertEquals("b", read(client, 1));
        }
        assertEquals(List.of("tailsrv-io-0"), sender.threads.stream().distinct().toList(),
                "a larger group is served by its own loop");
    }

    // ---- helpers ----

    private Socket connect(String header) throws Exception {
        return connect(new Socket(), header);
    }

    /** Connects {@code client} through a real handshake on the loop, as admission would hand it over. */
    private Socket connect(Socket client, String header) throws Exception {
        clients.add(client);
        client.setSoTimeout((int) WAIT.toMillis());
        client.connect(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        accepted.configureBlocking(false);
        accepted.setOption(StandardSocketOptions.SO_SNDBUF, 4096); // a full socket comes soon for one not reading
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteAddress();
        int streaming = fanOut.streaming();
        loop.call(() -> {
            Handshake handshake = new Handshake(new Connection(accepted, peer, loop), context, pending,
                    fanOut.on(loop));
            handshake.admit();
            handshake.start();
            return null;
        });
        client.getOutputStream().write((header + "\n").getBytes(StandardCharsets.US_ASCII));
        await("the client past its handshake", () -> fanOut.streaming() > streaming);
        return client;
    }

    /** Appends to the file and reports it, as the file watch would. */
    private void append(String text) throws IOException {
        Files.writeString(path, text, StandardOpenOption.APPEND);
        long size = Files.size(path);
        report(() -> fanOut.grew(size));
    }

    /** Makes one report, then says the read is done, as the file watch's thread does. */
    private void report(Runnable change) {
        change.run();
        fanOut.reportsDone();
    }

    private static String read(Socket client, int n) throws IOException {
        return new String(readBytes(client, n), StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBytes(Socket client, int n) throws IOException {
        byte[] bytes = client.getInputStream().readNBytes(n);
        if (bytes.length < n) {
            throw new AssertionError("stream ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    private static boolean closedByServer(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Writes 4 MiB of random bytes (from {@code seed}) over the file and reports the growth, as the watch would. */
    private byte[] grownBy4MiB(long seed) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(seed).nextBytes(data);
        Files.write(path, data);
        report(() -> fanOut.grew(data.length)); // from 10 bytes: clients connected after this start later
        return data;
    }

    /** A client with a 4 KiB receive buffer that reads nothing until told: its socket fills at once. */
    private Socket slowReader(String header) throws Exception {
        Socket client = new Socket();
        client.setReceiveBufferSize(4096);
        return connect(client, header);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Sends with transferTo, as the real sender does, and records who sent what to whom. */
    private static final class RecordingSender implements ZeroCopySender {

        final AtomicInteger calls = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();
        private final Map<Integer, AtomicInteger> sends = new ConcurrentHashMap<>();
        private final Map<Integer, AtomicLong> bytes = new ConcurrentHashMap<>();
        private final Map<Integer, List<Boolean>> corkings = new ConcurrentHashMap<>();

        @Override
        public long send(FileChannel file, long position, long count, SocketChannel socket) throws IOException {
            calls.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            int peerPort = ((InetSocketAddress) socket.getRemoteAddress()).getPort();
            sends.computeIfAbsent(peerPort, port -> new AtomicInteger()).incrementAndGet();
            long n = file.transferTo(position, count, socket);
            bytes.computeIfAbsent(peerPort, port -> new AtomicLong()).addAndGet(n);
            return n;
        }

        @Override
        public boolean cork(SocketChannel socket, boolean on) throws IOException {
            int peerPort = ((InetSocketAddress) socket.getRemoteAddress()).getPort();
            corkings.computeIfAbsent(peerPort, port -> new CopyOnWriteArrayList<>()).add(on);
            return true;
        }

        /** Each cork (true) and uncork (false) asked for the client's socket, in order. */
        List<Boolean> corkings(int clientPort) {
            return List.copyOf(corkings.getOrDefault(clientPort, List.of()));
        }

        int sendsTo(int clientPort) {
            AtomicInteger n = sends.get(clientPort);
            return n == null ? 0 : n.get();
        }

        long bytesTo(int clientPort) {
            AtomicLong n = bytes.get(clientPort);
            return n == null ? 0 : n.get();
        }
    }
}
