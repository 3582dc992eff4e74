package io.tailsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Connections to one server, made non-blocking and registered with one
 * selector (each key's attachment is the client's index): a single thread
 * reads them all, so the client side costs as little as it can and is not
 * what gets measured. A target with TLS gets each connection's handshake
 * done as it opens; {@link #read} decrypts.
 */
final class Clients implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Descriptors besides the clients': the JVM's, the selector's, the latency writer's, getconf's pipes. */
    private static final int SPARE_DESCRIPTORS = 32;

    private final Selector selector;
    private final SocketChannel[] channels;
    /** Each client's TLS session; null for a plain one. */
    private final TlsSession[] sessions;

    private Clients(Selector selector, int count) {
        this.selector = selector;
        this.channels = new SocketChannel[count];
        this.sessions = new TlsSession[count];
    }

    /**
     * Opens {@code count} connections to {@code target}, none of which has
     * asked for anything yet: {@link #request} then asks for all at once, so
     * that a clock can start between the two.
     */
    static Clients connect(Target target, int count) throws IOException, BenchFailure {
        return open(List.of(target), count, null);
    }

    /**
     * Opens {@code count} connections, each asking for {@code offset} as soon
     * as it is connected: however long connecting them all takes, none waits
     * for the server's header timeout (30 s by default).
     */
    static Clients connectAsking(Target target, int count, long offset) throws IOException, BenchFailure {
        return open(List.of(target), count, new long[] {offset});
    }

    /**
     * Opens {@code perTarget} connections to each of {@code targets}, all on
     * one selector: client {@code t * perTarget + j} is the j-th of target t,
     * and asks for {@code offsets[t]} as soon as it is connected. What the
     * caller holds open already (the busy writer's files) counts against the
     * limit on open files too.
     */
    static Clients connectAsking(List<Target> targets, int perTarget, long[] offsets) throws IOException, BenchFailure {
        return open(targets, perTarget, offsets.clone());
    }

    /** Every client sends its header: {@code offset} and a newline. */
    void request(long offset) throws IOException, BenchFailure {
        for (int i = 0; i < channels.length; i++) {
            request(i, offset);
        }
    }

    /**
     * Reads what has come for the client of {@code key} into {@code buffer}
     * (decrypted, for TLS): the bytes read, or -1 at the end of the stream.
     */
    int read(SelectionKey key, ByteBuffer buffer) throws IOException {
        int client = index(key);
        return sessions[client] != null ? sessions[client].read(buffer) : channels[client].read(buffer);
    }

    Selector selector() {
        return selector;
    }

    /** The client a selected key belongs to. */
    static int index(SelectionKey key) {
        return (Integer) key.attachment();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
        // a registered channel keeps its descriptor until the selector lets go of it, and closing
        // the selector may need a descriptor: the limit may just have been reached
        selector.selectNow();
        selector.close();
    }

    /** The connections; {@code offsets} (one per target) null when {@link #request} asks later. */
    private static Clients open(List<Target> targets, int perTarget, long[] offsets)
            throws IOException, BenchFailure {
        int count = Math.multiplyExact(targets.size(), perTarget);
        requireDescriptors(count);
        Clients clients = new Clients(Selector.open(), count);
        for (int t = 0; t < targets.size(); t++) {
            for (int j = 0; j < perTarget; j++) {
                int i = t * perTarget + j;
                try {
                    clients.open(i, targets.get(t));
                } catch (IOException e) {
                    clients.close();
                    throw new BenchFailure(connectFailure(targets.get(t), j, perTarget, count, e));
                }
                clients.channels[i].register(clients.selector, SelectionKey.OP_READ, i);
                if (offsets != null) {
                    clients.request(i, offsets[t]);
                }
            }
        }
        return clients;
    }

    private void open(int client, Target target) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(target.address(), CONNECT_TIMEOUT_MILLIS);
            if (target.tls() != null) {
                sessions[client] = TlsSession.handshake(channel, target.tls(), target.host(), target.port());
            }
            channel.configureBlocking(false);
            channels[client] = channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private void request(int client, long offset) throws IOException, BenchFailure {
        ByteBuffer header = ByteBuffer.wrap((offset + "\n").getBytes(StandardCharsets.US_ASCII));
        // a new connection's send buffer has room for a few bytes, even non-blocking
        boolean sent = sessions[client] != null ? sessions[client].write(header) : channels[client].write(header) > 0
                && !header.hasRemaining();
        if (!sent) {
            throw new BenchFailure("could not send the header " + offset + " at once");
        }
    }

    /** Fails before a connection is opened when they cannot all have a descriptor, rather than halfway. */
    private static void requireDescriptors(int count) throws BenchFailure {
        OptionalLong limit = openFilesLimit();
        if (limit.isPresent() && openFiles() + count + SPARE_DESCRIPTORS > limit.getAsLong()) {
            throw new BenchFailure(tooManyOpenFiles(count, limit));
        }
    }

    private static String connectFailure(Target target, int index, int perTarget, int count, IOException e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("Too many open files")) {
            return tooManyOpenFiles(count, openFilesLimit());
        }
        return "cannot connect to " + target
                + (perTarget == 1 ? "" : " (client " + (index + 1) + " of " + perTarget + ")") + ": " + reason;
    }

    private static String tooManyOpenFiles(int count, OptionalLong limit) {
        // the JVM has raised its soft limit to the hard one already: only the hard one matters
        return "too many open files: " + count + " clients need as many descriptors, and this process, with "
                + openFiles() + " open, may open " + (limit.isPresent() ? limit.getAsLong() : "no more")
                + "; raise the hard limit (ulimit -Hn, LimitNOFILE=) or ask for fewer --clients";
    }

    /** The soft limit on open files; empty where there is no /proc. */
    private static OptionalLong openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: find out by trying
        }
        return OptionalLong.empty();
    }

    private static long openFiles() {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
