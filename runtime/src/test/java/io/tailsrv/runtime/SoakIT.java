package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.bench.TlsSession;

/**
 * Stream integrity under churn. A writer appends records to a file served by
 * {@code bin/tailsrv --config-dir}; 200 clients connect at random offsets,
 * positive and negative, read for random times, leave (closing, resetting,
 * or having half-closed from the start) and come back at exactly the offset
 * they reached, or start over elsewhere; meanwhile the instance's
 * configuration is edited live and other instances come and go. A third of
 * the clients speak TLS (the instance's {@code tls} is {@code optional}), the
 * rest plain text, on the same port. Every byte
 * every client receives is compared with the file at the offset it must
 * come from, and at the end every client must have the file up to its last
 * byte.
 *
 * <p>Each 16-byte record is its own offset in decimal ({@code %015d\n}), so
 * a client that asked for a negative offset can tell from what it receives
 * where it was started, and a wrong byte can be told apart as missing,
 * repeated or corrupt.
 *
 * <p>It runs for {@code tailsrv.soak.seconds} (default 60; the Maven profile
 * {@code soak} makes it 600) with {@code tailsrv.soak.clients} clients
 * (default 200); {@code tailsrv.soak.seed} repeats a run's random choices.
 */
class SoakIT {

    private static final int RECORD = 16;
    /** Bytes a client with a negative offset needs to find where it starts: a whole record after a newline. */
    private static final int LOCATE = 2 * RECORD;
    /** The writer's rate: 256 records every 10 ms, 400 KiB/s. */
    private static final int RECORDS_PER_WRITE = 256;
    private static final long WRITE_INTERVAL_MILLIS = 10;

    @TempDir
    Path dir;

    @Test
    void everyClientGetsEveryByteExactlyOnceThroughChurnAndLiveEdits() throws Exception {
        int seconds = Integer.getInteger("tailsrv.soak.seconds", 60);
        int clientCount = Integer.getInteger("tailsrv.soak.clients", 200);
        long seed = Long.getLong("tailsrv.soak.seed", System.nanoTime());
        System.out.printf("SoakIT: %d s, %d clients, seed %d (-Dtailsrv.soak.seed=%d repeats it)%n",
                seconds, clientCount, seed, seed);

        Path log = dir.resolve("soak.log");
        ConfigDir config = ConfigDir.under(dir);
        int port = Client.freePort();
        assertTrue(Pki.available(), "openssl is missing (.ci/run installs it): the soak's TLS clients need certificates");
        Pki pki = Pki.make(Files.createDirectories(dir.resolve("tls")));
        List<String> tls = List.of("tls = optional", "tls.cert = " + pki.file("server.pem"),
                "tls.key = " + pki.file("server-key.pem"));
        try (RecordWriter writer = new RecordWriter(log)) {
            writer.write(4096); // 64 KiB to start with
            config.serve("soak", log, port, withTls(tls, "max.clients = 1000", "header.timeout = 30"));
            try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("soak");
                    Fleet fleet = new Fleet(port, log, clientCount, new Random(seed), pki.context(null))) {
                writer.start();
                fleet.start();
                Operator operator = new Operator(server, config, log, port, tls, new Random(seed + 1));
                operator.start();

                long stop = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < stop) {
                    fleet.check();
                    operator.check();
                    TimeUnit.MILLISECONDS.sleep(200); // the soak's clock; failures surface at the next check
                }
                operator.stop();
                fleet.drain();
                fleet.awaitAllConnectedAndPlaced(Duration.ofSeconds(30));
                long end = writer.stop();
                fleet.awaitAllAt(end, Duration.ofSeconds(60));
                fleet.stop();

                Fleet.Figures f = fleet.figures();
                List<String> refused = server.logged("\\[soak\\] .*refused");
                List<String> errors = server.logged(" ERROR |unexpected|Exception");
                System.out.printf("SoakIT: %d clients, %d sessions, %d connections (%d over TLS; %d closed, %d reset, "
                                + "%d half-closed from the start), %d negative offsets placed, %d asking past the end; "
                                + "%d bytes compared: %d mismatched, %d missing, %d duplicated; %d closed by the "
                                + "server; every client reached the end, %d bytes; %d live edits of the instance, "
                                + "%d instances added and removed; %d s%n",
                        clientCount, f.sessions, f.connections, f.tlsConnections, f.closed, f.reset, f.halfClosed, f.negativePlaced,
                        f.pastTheEnd, f.compared, f.mismatched, f.missing, f.duplicated, f.closedByServer, end,
                        operator.edits, operator.added, seconds);
                assertEquals(0, f.mismatched, "mismatched bytes; " + f.faults);
                assertEquals(0, f.missing, "missing bytes; " + f.faults);
                assertEquals(0, f.duplicated, "duplicated bytes; " + f.faults);
                assertEquals(0, f.misplaced, "negative offsets started in the wrong place; " + f.faults);
                assertEquals(0, f.closedByServer, "clients closed by the server; " + f.faults);
                assertTrue(f.connections >= clientCount * 2L, "only " + f.connections + " connections");
                assertTrue(f.tlsConnections >= f.connections / 4, "only " + f.tlsConnections + " of "
                        + f.connections + " connections over TLS");
                assertTrue(f.compared > end, "only " + f.compared + " bytes compared");
                assertTrue(operator.edits >= seconds / 10, "only " + operator.edits + " edits");
                assertTrue(operator.added >= seconds / 10, "only " + operator.added + " instances added");
                assertTrue(refused.isEmpty(), "refused: " + refused);
                assertTrue(errors.isEmpty(), "errors logged: " + errors);
            }
        }
    }

    /** The instance's properties: {@code tls}'s, then {@code others}. */
    static String[] withTls(List<String> tls, String... others) {
        List<String> all = new ArrayList<>(tls);
        all.addAll(List.of(others));
        return all.toArray(String[]::new);
    }

    /** Appends records from its own thread at a steady rate; each record holds its own offset. */
    static final class RecordWriter implements AutoCloseable {
        private final FileOutputStream out;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean();
        private long size;

        RecordWriter(Path file) throws IOException {
            out = new FileOutputStream(file.toFile(), true);
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        write(RECORDS_PER_WRITE);
                        TimeUnit.MILLISECONDS.sleep(WRITE_INTERVAL_MILLIS); // the writer's pace
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "soak-writer");
        }

        void start() {
            running.set(true);
            thread.start();
        }

        synchronized void write(int records) throws IOException {
            StringBuilder text = new StringBuilder(records * RECORD);
            for (int i = 0; i < records; i++) {
                text.append(String.format("%015d\n", size + (long) i * RECORD));
            }
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
            size += (long) records * RECORD;
        }

        /** Stops writing; returns the file's final size. */
        long stop() throws Exception {
            if (running.getAndSet(false)) {
                thread.join();
            }
            synchronized (this) {
                return size;
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            out.close();
        }
    }

    /** How a connection ends when its client decides to leave. */
    enum Leaving { CLOSE, RESET, HALF_CLOSED }

    /**
     * The 200 clients, driven by one thread over one selector: each connects
     * with an offset, checks every byte it reads against the file, leaves
     * when its time is up and comes back.
     */
    static final class Fleet implements AutoCloseable {
        private final int port;
        private final SSLContext tls;
        private final FileChannel file;
        private final List<SoakClient> clients = new ArrayList<>();
        private final Random random;
        private final Selector selector;
        private final Thread thread;
        private final ByteBuffer in = ByteBuffer.allocate(256 << 10);
        private final ByteBuffer expected = ByteBuffer.allocate(256 << 10);
        private final Figures figures = new Figures();
        private volatile boolean running = true;
        private volatile boolean draining;
        private volatile Throwable failure;

        Fleet(int port, Path log, int count, Random random, SSLContext tls) throws IOException {
            this.port = port;
            this.tls = tls;
            this.file = FileChannel.open(log);
            this.random = random;
            this.selector = Selector.open();
            for (int i = 0; i < count; i++) {
                clients.add(new SoakClient(i));
            }
            thread = new Thread(this::run, "soak-fleet");
        }

        void start() {
            thread.start();
        }

        /** Fails the test if the fleet's thread failed. */
        void check() {
            if (failure != null) {
                throw new AssertionError("the fleet failed", failure);
            }
        }

        /** From now on clients no longer leave: those away come back at their offset. */
        void drain() {
            draining = true;
        }

        void awaitAllConnectedAndPlaced(Duration timeout) throws Exception {
            awaitAll(timeout, "connected and placed", client -> client.channel != null && client.start >= 0);
        }

        void awaitAllAt(long fileEnd, Duration timeout) throws Exception {
            awaitAll(timeout, "at the end, " + fileEnd, client -> client.position() >= fileEnd);
        }

        void stop() throws InterruptedException {
            running = false;
            selector.wakeup();
            thread.join(10_000);
            check();
        }

        Figures figures() {
            synchronized (figures) {
                return figures;
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            selector.wakeup();
            thread.join(10_000);
            for (SoakClient client : clients) {
                client.disconnect(Leaving.RESET);
            }
            selector.close();
            file.close();
        }

        private void awaitAll(Duration timeout, String what, java.util.function.Predicate<SoakClient> done)
                throws Exception {
            await(() -> {
                List<String> behind = behind(done);
                return behind.size() + " clients not " + what + ": " + behind.subList(0, Math.min(10, behind.size()));
            }, timeout, () -> {
                check();
                return behind(done).isEmpty();
            });
        }

        /** The clients not {@code done}, as they describe themselves. */
        private List<String> behind(java.util.function.Predicate<SoakClient> done) {
            List<String> behind = new ArrayList<>();
            synchronized (figures) {
                for (SoakClient client : clients) {
                    if (!done.test(client)) {
                        behind.add(client.toString());
                    }
                }
            }
            return behind;
        }

        private void run() {
            try {
                while (running) {
                    long now = System.nanoTime();
                    synchronized (figures) {
                        for (SoakClient client : clients) {
                            if (client.channel == null && now >= client.comeBackAt) {
                                client.connect();
                            } else if (client.channel != null && now >= client.leaveAt && !draining
                                    && client.start >= 0) {
                                client.leave();
                            }
                        }
                    }
                    selector.select(key -> {
                        synchronized (figures) {
                            ((SoakClient) key.attachment()).readable();
                        }
                    }, 5);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        private long fileSize() throws IOException {
            return file.size();
        }

        /** One client: a series of sessions, each a series of connections resuming where the last one ended. */
        final class SoakClient {
            final int id;
            /** Every third client speaks TLS. */
            final boolean overTls;
            SocketChannel channel;
            /** The TLS session of this connection; null for a plain client. */
            TlsSession session;
            /** Where this connection started in the file; -1 until a negative offset is placed. */
            long start = -1;
            long received;
            long leaveAt;
            long comeBackAt;
            private boolean resume;
            private long requested;
            private String header;
            private long sizeBefore;
            private Leaving leaving;
            private final byte[] head = new byte[LOCATE];
            private int headCount;

            SoakClient(int id) {
                this.id = id;
                this.overTls = id % 3 == 0;
            }

            long position() {
                return start < 0 ? -1 : start + received;
            }

            void connect() throws IOException {
                long size = fileSize();
                if (resume) {
                    header = Long.toString(start + received);
                } else {
                    header = randomOffset(size);
                    figures.sessions++;
                }
                requested = Long.parseLong(header);
                if (requested > size) {
                    figures.pastTheEnd++;
                }
                start = header.startsWith("-") && requested != 0 ? -1 : requested;
                received = 0;
                headCount = 0;
                sizeBefore = size;
                leaving = draining ? Leaving.CLOSE : Leaving.values()[random.nextInt(Leaving.values().length)];
                channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ByteBuffer request = ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.US_ASCII));
                if (overTls) {
                    session = TlsSession.handshake(channel, tls, "localhost", port);
                    session.write(request);
                    figures.tlsConnections++;
                } else {
                    channel.write(request);
                }
                if (leaving == Leaving.HALF_CLOSED) {
                    // as `nc -N` does; over TLS too (a close_notify would end the stream: see the README)
                    channel.shutdownOutput();
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, this);
                leaveAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(2000));
                figures.connections++;
            }

            /**
             * A new session's header: mostly near the end, counted from the
             * start or back from the end; some past the end, from anywhere,
             * before the start (clamped to 0), or "-0" (which is 0).
             */
            private String randomOffset(long size) {
                int kind = random.nextInt(100);
                if (kind < 40) {
                    return Long.toString(Math.max(0, size - random.nextInt(4 << 20)));
                } else if (kind < 50) {
                    return Long.toString(size + random.nextInt(64 << 10)); // nothing until the file gets there
                } else if (kind < 52) {
                    return Long.toString((long) (random.nextDouble() * size));
                } else if (kind < 97) {
                    return Long.toString(-1 - random.nextInt(4 << 20));
                } else if (kind < 98) {
                    return "-0";
                } else {
                    return Long.toString(-(size + 1 + random.nextInt(1 << 20))); // clamped to 0
                }
            }

            void leave() throws IOException {
                disconnect(leaving);
                switch (leaving) {
                    case CLOSE -> figures.closed++;
                    case RESET -> figures.reset++;
                    case HALF_CLOSED -> figures.halfClosed++;
                }
                resume = draining || random.nextInt(100) < 85;
                comeBackAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(50));
            }

            void disconnect(Leaving how) throws IOException {
                if (channel == null) {
                    return;
                }
                if (how == Leaving.RESET) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                } else if (session != null && how == Leaving.CLOSE) {
                    session.closeNotify();
                }
                channel.close();
                channel = null;
                session = null;
            }

            void readable() {
                try {
                    in.clear();
                    int n;
                    try {
                        n = session != null ? session.read(in) : channel.read(in);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        fault("closed by the server at " + position());
                        figures.closedByServer++;
                        return;
                    }
                    in.flip();
                    if (start < 0) {
                        place();
                    }
                    if (start >= 0 && in.hasRemaining()) {
                        compare(in.array(), in.position(), in.remaining());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            /** Finds where a negative offset started from the first whole record received. */
            private void place() throws IOException {
                int take = Math.min(LOCATE - headCount, in.remaining());
                in.get(head, headCount, take);
                headCount += take;
                if (headCount < LOCATE) {
                    return;
                }
                int newline = 0;
                while (newline < RECORD && head[newline] != '\n') {
                    newline++;
                }
                String digits = new String(head, newline + 1, RECORD - 1, StandardCharsets.US_ASCII);
                if (newline == RECORD || !digits.matches("\\d{15}")) {
                    figures.mismatched += LOCATE;
                    fault("requested " + requested + ": no record in the first bytes");
                    in.position(in.limit());
                    return;
                }
                start = Long.parseLong(digits) - (newline + 1);
                long earliest = Math.max(0, sizeBefore + requested);
                long latest = Math.max(0, fileSize() + requested);
                if (start < earliest || start > latest) {
                    figures.misplaced++;
                    fault("requested " + requested + " with " + sizeBefore + " bytes: started at " + start);
                    in.position(in.limit());
                    return;
                }
                figures.negativePlaced++;
                compare(head, 0, LOCATE);
            }

            /** Compares what arrived with the file at this client's position. */
            private void compare(byte[] bytes, int from, int length) throws IOException {
                long at = position();
                expected.clear().limit(length);
                while (expected.hasRemaining()) {
                    if (file.read(expected, at + expected.position()) < 0) {
                        break;
                    }
                }
                int mismatch = Arrays.mismatch(bytes, from, from + length, expected.array(), 0, length);
                figures.compared += length;
                if (mismatch < 0) {
                    received += length;
                    return;
                }
                classify(bytes, from + mismatch, from + length, at + mismatch);
                fault("wrong byte at " + (at + mismatch) + " (requested " + requested + ")");
            }

            /**
             * Tells a skip (missing bytes) from a repeat (duplicated bytes)
             * or corruption, by the offset the next whole record names.
             */
            private void classify(byte[] bytes, int wrong, int limit, long expectedAt) {
                for (int i = wrong; i + RECORD <= limit; i++) {
                    if (bytes[i] == '\n') {
                        String digits = new String(bytes, i + 1, RECORD - 1, StandardCharsets.US_ASCII);
                        if (digits.matches("\\d{15}")) {
                            long actual = Long.parseLong(digits) - (i + 1 - wrong);
                            long delta = actual - expectedAt;
                            if (delta > 0) {
                                figures.missing += delta;
                            } else if (delta < 0) {
                                figures.duplicated -= delta;
                            } else {
                                figures.mismatched += limit - wrong;
                            }
                            return;
                        }
                    }
                }
                figures.mismatched += limit - wrong;
            }

            /** Something went wrong with this connection: note it, drop it, start a new session. */
            private void fault(String what) throws IOException {
                if (figures.faults.size() < 20) {
                    figures.faults.add("client " + id + ": " + what);
                }
                disconnect(Leaving.RESET);
                resume = false;
                comeBackAt = System.nanoTime();
            }

            @Override
            public String toString() {
                return "client " + id + (channel == null ? " (away)" : "") + " requested " + header + " at "
                        + position();
            }
        }

        /** What the fleet counted; read under its lock. */
        static final class Figures {
            long sessions;
            long connections;
            long tlsConnections;
            long closed;
            long reset;
            long halfClosed;
            long negativePlaced;
            long pastTheEnd;
            long compared;
            long mismatched;
            long missing;
            long duplicated;
            long misplaced;
            long closedByServer;
            final List<String> faults = new ArrayList<>();
        }
    }

    /**
     * An operator at work while the clients stream: edits the instance's
     * non-disruptive properties (max.clients, header.timeout), and adds and
     * removes other instances, checking each serves.
     */
    static final class Operator {
        private final TailsrvProcess server;
        private final List<String> tls;
        private final ConfigDir config;
        private final Path log;
        private final int port;
        private final Random random;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;
        volatile int edits;
        volatile int added;
        private int lastMaxClients;

        Operator(TailsrvProcess server, ConfigDir config, Path log, int port, List<String> tls, Random random) {
            this.server = server;
            this.tls = tls;
            this.config = config;
            this.log = log;
            this.port = port;
            this.random = random;
            this.thread = new Thread(this::run, "soak-operator");
        }

        void start() {
            thread.start();
        }

        void check() {
            if (failure != null) {
                throw new AssertionError("the operator failed", failure);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(30_000);
            check();
        }

        private void run() {
            try {
                for (int round = 0; running; round++) {
                    if (round % 2 == 0) {
                        edit();
                    } else {
                        addAndRemove(round);
                    }
                    TimeUnit.MILLISECONDS.sleep(500 + random.nextInt(1000)); // the operator's pace
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void edit() throws Exception {
            int maxClients;
            do {
                maxClients = 600 + random.nextInt(1400);
            } while (maxClients == lastMaxClients);
            lastMaxClients = maxClients;
            int headerTimeout = 5 + random.nextInt(55);
            config.serve("soak", log, port, withTls(tls, "max.clients = " + maxClients, "header.timeout = " + headerTimeout));
            server.awaitLog("\\[soak\\] updated", WAIT);
            edits++;
        }

        private void addAndRemove(int round) throws Exception {
            String name = "extra" + round;
            Path file = log.resolveSibling(name + ".log");
            Files.writeString(file, name + "\n");
            int extraPort = Client.freePort();
            config.serve(name, file, extraPort);
            server.awaitLog("\\[" + name + "\\] listening on \\*:" + extraPort, WAIT);
            try (Client client = Client.request(extraPort, "0")) {
                assertEquals(name + "\n", client.readString(name.length() + 1));
            }
            config.remove(name);
            server.awaitLog("\\[" + name + "\\] (removed|stopped)", WAIT);
            added++;
        }
    }
}
