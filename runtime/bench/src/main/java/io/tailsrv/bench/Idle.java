package io.tailsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Idle cost: clients connected and caught up, waiting for the file to grow,
 * which is what most followers of a log do most of the time. Each asks for
 * the last byte ({@code -1}): the protocol's only way to reach the end
 * without knowing the file's size ({@code -0} means 0, the start). With the
 * server's pid, what holding them cost it.
 */
final class Idle {

    static final long OFFSET = -1;
    /** Lets the server take in every connection before the hold starts, so that it measures waiting only. */
    static final long SETTLE_MILLIS = 200;

    private final Target target;
    private final int clients;
    private final int seconds;
    private final OptionalLong pid;

    Idle(Target target, int clients, int seconds, OptionalLong pid) {
        this.target = target;
        this.clients = clients;
        this.seconds = seconds;
        this.pid = pid;
    }

    /**
     * @param connected clients still connected at the end of the hold
     * @param server the server's CPU time during the hold, and its RSS and threads at its end
     */
    record Result(int clients, int seconds, int connected, Optional<ProcStat> server) {
    }

    Result run() throws IOException, BenchFailure {
        try (Clients connections = Clients.connectAsking(target, clients, OFFSET)) {
            boolean[] closed = new boolean[clients];
            hold(connections, TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS), closed);
            Optional<ProcStat> before = serverStat();
            hold(connections, TimeUnit.SECONDS.toNanos(seconds), closed);
            Optional<ProcStat> after = serverStat();
            int connected = 0;
            for (boolean gone : closed) {
                connected += gone ? 0 : 1;
            }
            Optional<ProcStat> server = after.map(end -> new ProcStat(
                    end.cpuMillis() - before.orElseThrow().cpuMillis(), end.rssBytes(), end.threads()));
            return new Result(clients, seconds, connected, server);
        }
    }

    /** Waits, reading whatever comes (the last byte, appends) and noting which clients the server closed. */
    private static void hold(Clients connections, long nanos, boolean[] closed) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10);
        Selector selector = connections.selector();
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            for (SelectionKey key : selector.selectedKeys()) {
                buffer.clear();
                if (!readable(connections, key, buffer)) {
                    closed[Clients.index(key)] = true;
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static boolean readable(Clients connections, SelectionKey key, ByteBuffer buffer) {
        try {
            return connections.read(key, buffer) >= 0;
        } catch (IOException reset) {
            return false;
        }
    }

    private Optional<ProcStat> serverStat() throws IOException {
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ProcStat.of(pid.getAsLong()));
    }
}
