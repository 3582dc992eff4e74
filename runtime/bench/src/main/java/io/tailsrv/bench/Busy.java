package io.tailsrv.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Many growing files at once, as a host serving many logs: clients at the
 * end of every file, a {@link BusyWriter} appending numbered records to all
 * of them, and this thread reading every client (one selector), timing each
 * record's arrival and checking each client's records for order and
 * completeness. The window runs from the first counted append to the last
 * delivery; with the server's pid, what the server spent in it.
 */
final class Busy {

    /** The most records all clients may receive in one run: each counted one is a sample kept in memory. */
    static final long MAX_DELIVERIES = 10_000_000;
    /** After the last append, how long the rest may take to arrive before it is counted missing. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How often the loop looks up from the sockets: a writer's failure or the drain's end is seen this soon. */
    private static final long SELECT_MILLIS = 100;

    private final List<ServedFile> served;
    private final int clientsPerFile;
    private final int rate;
    private final int warmRecords;
    private final int countedRecords;
    private final OptionalLong pid;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private Usage atMeasureStart; // written by the writer's thread before it ends, read after joining it

    Busy(List<ServedFile> served, int clientsPerFile, int rate, int seconds, int warmupSeconds, OptionalLong pid)
            throws UsageException {
        this.served = served;
        this.clientsPerFile = clientsPerFile;
        this.rate = rate;
        long deliveries = (long) served.size() * clientsPerFile * rate * ((long) seconds + warmupSeconds);
        if (deliveries > MAX_DELIVERIES) {
            throw new UsageException(deliveries + " deliveries (files " + served.size() + " x clients "
                    + clientsPerFile + " x rate " + rate + " x " + (seconds + warmupSeconds) + " s); this bench counts"
                    + " at most " + MAX_DELIVERIES + ": ask for fewer --clients, a lower --rate or fewer --seconds");
        }
        this.warmRecords = rate * warmupSeconds;
        this.countedRecords = rate * seconds;
        this.pid = pid;
    }

    /**
     * @param records counted appends, over all files
     * @param nanos the latency of every counted record at every client that received it (its first arrival)
     * @param writeRate appends a second to each file in the counted part, as achieved
     * @param windowNanos from the first counted append to the last delivery (or the drain's end)
     * @param readerCpuNanos the reading thread's CPU time in the window, where the JVM measures it
     * @param server the server's CPU time in the window, and its RSS and threads at its end
     */
    record Result(int files, int clientsPerFile, int rate, long records, Percentiles nanos, long outOfOrder,
            long missing, double writeRate, long windowNanos, OptionalLong readerCpuNanos,
            Optional<ProcStat> server) {

        long deliveries() {
            return nanos.count();
        }
    }

    /** CPU times read at the window's two ends. */
    private record Usage(long readerCpuNanos, Optional<ProcStat> server) {
    }

    Result run() throws IOException, BenchFailure, InterruptedException {
        long[] offsets = new long[served.size()];
        for (int f = 0; f < offsets.length; f++) {
            offsets[f] = Files.size(served.get(f).file()); // the clients get only what the writer appends
        }
        long origin = System.nanoTime(); // records hold time since this, never negative
        long reader = Thread.currentThread().getId();
        List<Target> endpoints = served.stream().map(ServedFile::endpoint).toList();
        try (BusyWriter writer = new BusyWriter(served.stream().map(ServedFile::file).toList(), rate, warmRecords,
                countedRecords, origin, () -> atMeasureStart = usage(reader));
                Clients connections = Clients.connectAsking(endpoints, clientsPerFile, offsets)) {
            writer.start();
            try {
                Deliveries deliveries = receive(connections, writer, origin);
                long delivered = System.nanoTime();
                Usage atEnd = usage(reader);
                writer.join();
                writer.rethrow();
                return result(deliveries, writer, delivered - writer.measureStart(), atEnd);
            } finally {
                writer.interrupt();
                writer.join();
            }
        }
    }

    /** What every client received. */
    private record Deliveries(long[] samples, ReceivedRecords[] received) {
    }

    /** The latencies of counted records, in the order they arrived. */
    private static final class Samples implements LongConsumer {

        private final long[] nanos;
        private int count;

        Samples(int capacity) {
            nanos = new long[capacity];
        }

        @Override
        public void accept(long sample) {
            nanos[count++] = sample; // at most one per counted record per client: the capacity
        }

        long[] taken() {
            return Arrays.copyOf(nanos, count);
        }
    }

    private Deliveries receive(Clients connections, BusyWriter writer, long origin) throws IOException, BenchFailure {
        int clients = served.size() * clientsPerFile;
        ReceivedRecords[] received = new ReceivedRecords[clients];
        for (int client = 0; client < clients; client++) {
            received[client] = new ReceivedRecords(warmRecords, countedRecords);
        }
        Samples samples = new Samples(clients * countedRecords);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
        byte[] bytes = new byte[buffer.capacity()];
        Selector selector = connections.selector();
        int done = 0;
        while (done < clients) {
            writer.rethrow();
            if (writer.finished() && System.nanoTime() - writer.lastAppend() > DRAIN_NANOS) {
                break; // what has not come by now is missing
            }
            selector.select(SELECT_MILLIS);
            for (SelectionKey key : selector.selectedKeys()) {
                int client = Clients.index(key);
                buffer.clear();
                // one read per client per turn, so that every client is read as often
                int read = read(connections, key, buffer, client, received[client]);
                long arrival = System.nanoTime() - origin;
                buffer.flip().get(bytes, 0, read);
                try {
                    received[client].accept(bytes, read, arrival, samples);
                } catch (IllegalArgumentException e) {
                    throw new BenchFailure(clientName(client) + " received " + e.getMessage()
                            + ": does something else append to " + served.get(client / clientsPerFile).file() + "?");
                }
                if (received[client].complete()) {
                    key.channel().close();
                    done++;
                }
            }
            selector.selectedKeys().clear();
        }
        return new Deliveries(samples.taken(), received);
    }

    private Result result(Deliveries deliveries, BusyWriter writer, long windowNanos, Usage atEnd)
            throws BenchFailure {
        long missing = Arrays.stream(deliveries.received()).mapToLong(ReceivedRecords::missing).sum();
        if (deliveries.samples().length == 0) {
            throw new BenchFailure("no counted record arrived (" + missing + " records missing)");
        }
        long outOfOrder = Arrays.stream(deliveries.received()).mapToLong(ReceivedRecords::outOfOrder).sum();
        long readerCpu = atEnd.readerCpuNanos() - atMeasureStart.readerCpuNanos();
        Optional<ProcStat> server = atEnd.server().map(end -> new ProcStat(
                end.cpuMillis() - atMeasureStart.server().orElseThrow().cpuMillis(), end.rssBytes(), end.threads()));
        return new Result(served.size(), clientsPerFile, rate, (long) countedRecords * served.size(),
                new Percentiles(deliveries.samples()), outOfOrder, missing, writer.achievedRate(), windowNanos,
                atEnd.readerCpuNanos() < 0 || atMeasureStart.readerCpuNanos() < 0 ? OptionalLong.empty()
                        : OptionalLong.of(readerCpu),
                server);
    }

    private Usage usage(long reader) throws IOException {
        long cpu = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(reader) : -1;
        if (pid.isEmpty()) {
            return new Usage(cpu, Optional.empty());
        }
        try {
            return new Usage(cpu, Optional.of(ProcStat.of(pid.getAsLong())));
        } catch (IOException e) {
            throw new IOException("cannot read /proc/" + pid.getAsLong() + " (has the server ended?): " + e, e);
        }
    }

    private int read(Clients connections, SelectionKey key, ByteBuffer buffer, int client, ReceivedRecords received)
            throws BenchFailure {
        int read;
        try {
            read = connections.read(key, buffer);
        } catch (IOException e) {
            throw new BenchFailure(clientName(client) + " failed: " + e.getMessage());
        }
        if (read < 0) {
            throw new BenchFailure("the server closed " + clientName(client) + " (" + received.missing()
                    + " records still due)");
        }
        return read;
    }

    /** "client 2 of 5 of 127.0.0.1:4321 (tailsrv-web.cfg)": whose client, and what named that server. */
    private String clientName(int client) {
        ServedFile file = served.get(client / clientsPerFile);
        return "client " + (client % clientsPerFile + 1) + " of " + clientsPerFile + " of " + file.endpoint()
                + " (" + file.origin() + ")";
    }
}
