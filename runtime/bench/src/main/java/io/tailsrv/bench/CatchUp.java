package io.tailsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up and fan-out: clients ask for offset 0 and read as fast as they
 * can, which shows how fast the server delivers what the file already holds,
 * to one client or to many at once. The clock runs from the first request
 * (every client being connected already) to the last byte. Every byte is
 * read into memory, as a real client's would be.
 */
final class CatchUp {

    /** Catch-up ends when no byte arrives for this long (a file is never known to be complete). */
    static final int DEFAULT_QUIET_MILLIS = 500;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int BUFFER_BYTES = 1 << 20;

    private final Target target;
    private final int clients;
    private final long bytesEach;
    private final long quietNanos;

    /**
     * @param bytesEach what each client reads before it is done, or 0 to read
     *        until nothing arrives for {@code quietMillis}: the end of the file
     */
    CatchUp(Target target, int clients, long bytesEach, int quietMillis) {
        this.target = target;
        this.clients = clients;
        this.bytesEach = bytesEach;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
    }

    /**
     * @param received bytes each client received
     * @param clientNanos from the first request to each client's last byte
     * @param nanos from the first request to the last byte of all
     */
    record Result(long[] received, long[] clientNanos, long nanos) {

        int clients() {
            return received.length;
        }

        long total() {
            return Arrays.stream(received).sum();
        }

        double seconds() {
            return nanos / 1e9;
        }

        double gigabytesPerSecond() {
            return total() / seconds() / 1e9;
        }

        /** Each client's own rate, in MB/s, slowest first. */
        double[] clientMegabytesPerSecond() {
            double[] rates = new double[received.length];
            for (int i = 0; i < rates.length; i++) {
                rates[i] = received[i] / (clientNanos[i] / 1e9) / 1e6;
            }
            Arrays.sort(rates);
            return rates;
        }
    }

    Result run() throws IOException, BenchFailure {
        try (Clients connections = Clients.connect(target, clients)) {
            long start = System.nanoTime();
            connections.request(0);
            long[] received = new long[clients];
            long[] lastByte = new long[clients];
            Arrays.fill(lastByte, start);
            long lastByteOfAll = start;
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            Selector selector = connections.selector();
            int done = 0;
            while (done < clients) {
                long waited = System.nanoTime() - lastByteOfAll;
                long patience = bytesEach > 0 ? STALL_NANOS : Math.min(quietNanos, STALL_NANOS);
                if (waited >= patience) {
                    if (bytesEach > 0) {
                        throw new BenchFailure(stalled(received));
                    }
                    break;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(patience - waited)));
                for (SelectionKey key : selector.selectedKeys()) {
                    int client = Clients.index(key);
                    // one read per client per turn, so that every client is read as often
                    if (read(connections, key, client, buffer, received)) {
                        lastByte[client] = System.nanoTime();
                        lastByteOfAll = lastByte[client];
                    }
                    if (bytesEach > 0 && received[client] == bytesEach) {
                        key.channel().close();
                        done++;
                    }
                }
                selector.selectedKeys().clear();
            }
            for (int client = 0; client < clients; client++) {
                if (received[client] == 0) {
                    throw new BenchFailure("client " + (client + 1) + " received nothing in "
                            + TimeUnit.NANOSECONDS.toMillis(quietNanos) + " ms: is the file empty?");
                }
                lastByte[client] -= start;
            }
            return new Result(received, lastByte, lastByteOfAll - start);
        }
    }

    /** Reads once into {@code buffer} (then forgotten); says whether a byte came. */
    private boolean read(Clients connections, SelectionKey key, int client, ByteBuffer buffer, long[] received)
            throws IOException, BenchFailure {
        buffer.clear();
        if (bytesEach > 0) {
            buffer.limit((int) Math.min(buffer.capacity(), bytesEach - received[client]));
        }
        int read;
        try {
            read = connections.read(key, buffer);
        } catch (IOException e) {
            throw new BenchFailure("client " + (client + 1) + " failed after " + received[client] + " bytes: "
                    + e.getMessage());
        }
        if (read < 0) {
            throw new BenchFailure("the server closed client " + (client + 1) + " after " + received[client]
                    + " bytes" + (bytesEach > 0 ? " of " + bytesEach : ""));
        }
        received[client] += read;
        return read > 0;
    }

    private String stalled(long[] received) {
        long behind = Arrays.stream(received).filter(bytes -> bytes < bytesEach).count();
        return "stalled: nothing arrived for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s with "
                + behind + " of " + clients + " clients short of " + bytesEach
                + " bytes (is the file that long?)";
    }
}
