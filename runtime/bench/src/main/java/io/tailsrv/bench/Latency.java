package io.tailsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Append-to-delivery latency: clients wait at the end of the served file, a
 * writer thread appends {@link Record}s holding their own write time, and
 * each client's arrival time minus a record's is one sample. Writer and
 * clients share this machine's monotonic clock, so the file must be local.
 */
final class Latency {

    /**
     * Time for the server to take in every connection and its header before
     * the first append; the protocol says nothing when it has, so this is a
     * pause (as the C load generator in the shared bench folder makes).
     */
    static final long SETTLE_MILLIS = 200;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long WRITER_CHECK_MILLIS = 1000; // a writer that failed is told within this

    private final Target target;
    private final Path file;
    private final int clients;
    private final int records;
    private final long intervalNanos;

    Latency(Target target, Path file, int clients, int records, long intervalMicros) {
        this.target = target;
        this.file = file;
        this.clients = clients;
        this.records = records;
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(intervalMicros);
    }

    /** The latencies, in nanoseconds, of every record at every client. */
    record Result(int clients, int records, Percentiles nanos) {
    }

    Result run() throws IOException, BenchFailure, InterruptedException {
        long end = Files.size(file);
        long origin = System.nanoTime(); // records hold time since this, never negative
        try (Clients connections = Clients.connectAsking(target, clients, end)) {
            Thread.sleep(SETTLE_MILLIS);
            Writer writer = new Writer(origin);
            writer.start();
            try {
                return new Result(clients, records, new Percentiles(receive(connections, origin, writer)));
            } finally {
                writer.interrupt();
                writer.join();
            }
        }
    }

    private long[] receive(Clients connections, long origin, Writer writer) throws IOException, BenchFailure {
        long[] samples = new long[clients * records];
        int sampled = 0;
        byte[][] partial = new byte[clients][Record.LENGTH];
        int[] partialLength = new int[clients];
        int[] seen = new int[clients];
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
        Selector selector = connections.selector();
        long lastArrival = System.nanoTime();
        int done = 0;
        while (done < clients) {
            writer.rethrow();
            long waited = System.nanoTime() - lastArrival;
            if (waited >= STALL_NANOS) {
                throw new BenchFailure("stalled: nothing arrived for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                        + " s with " + (clients - done) + " of " + clients + " clients short of " + records
                        + " records");
            }
            selector.select(Math.max(1, Math.min(WRITER_CHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(STALL_NANOS - waited))));
            for (SelectionKey key : selector.selectedKeys()) {
                int client = Clients.index(key);
                buffer.clear();
                int read = read(connections, key, buffer, client, seen[client]);
                long arrival = System.nanoTime() - origin;
                lastArrival = System.nanoTime();
                for (int i = 0; i < read; i++) {
                    partial[client][partialLength[client]++] = buffer.get(i);
                    if (partialLength[client] == Record.LENGTH) {
                        partialLength[client] = 0;
                        samples[sampled++] = arrival - decode(partial[client], client);
                        if (++seen[client] == records) {
                            key.channel().close();
                            done++;
                            break;
                        }
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        return samples;
    }

    private int read(Clients connections, SelectionKey key, ByteBuffer buffer, int client, int seen) throws BenchFailure {
        int read;
        try {
            read = connections.read(key, buffer);
        } catch (IOException e) {
            throw new BenchFailure("client " + (client + 1) + " failed after " + seen + " records: " + e.getMessage());
        }
        if (read < 0) {
            throw new BenchFailure("the server closed client " + (client + 1) + " after " + seen + " of " + records
                    + " records");
        }
        return read;
    }

    private long decode(byte[] record, int client) throws BenchFailure {
        try {
            return Record.decode(record);
        } catch (IllegalArgumentException e) {
            throw new BenchFailure("client " + (client + 1) + " received " + e.getMessage()
                    + ": does something else append to " + file + "?");
        }
    }

    /** Appends the records, one every interval, each stamped just before its write. */
    private final class Writer extends Thread {

        private final long origin;
        private volatile IOException failure;

        Writer(long origin) {
            super("tailsrv-bench-writer");
            this.origin = origin;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < records && !isInterrupted(); i++) {
                    LockSupport.parkNanos(intervalNanos);
                    out.write(ByteBuffer.wrap(Record.encode(System.nanoTime() - origin)));
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        void rethrow() throws BenchFailure {
            IOException e = failure;
            if (e != null) {
                throw new BenchFailure("cannot append to " + file + ": " + e);
            }
        }
    }
}
