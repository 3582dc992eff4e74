package io.tailsrv.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;

import org.slf4j.spi.LoggingEventBuilder;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.HeaderParser;

/**
 * One client connection, from its header to its close. Lives on one I/O
 * loop, and is touched only under that loop's lock: no field needs one of
 * its own.
 */
final class Client implements Ready {

    /** Reads per readiness event: a client flooding us with bytes cannot keep the thread. */
    private static final int READS_PER_EVENT = 16;

    final String peer;

    private final Share share;
    private final SocketChannel socket;
    private final Instant since = Instant.now();
    private SelectionKey key;
    private HeaderParser parser;
    private IoLoop.Timer headerTimer;
    private long requested;
    private Feed feed;
    private long offset = -1;
    /** The file's truncation count when this client last checked its offset against the file's end. */
    private int truncations;
    private long sent;
    private boolean inputClosed;
    private boolean open = true;
    /** Waiting in its share's idle list for the file to grow. */
    boolean parked;

    Client(Share share, SocketChannel socket, InetSocketAddress peer) {
        this.share = share;
        this.socket = socket;
        this.peer = Peers.format(peer);
        this.parser = share.instance.protocol.newParser();
    }

    void register(Selector selector) throws ClosedChannelException {
        key = socket.register(selector, SelectionKey.OP_READ, this);
    }

    void awaitHeader(IoLoop.Timer timer) {
        headerTimer = timer;
    }

    boolean isOpen() {
        return open;
    }

    long requested() {
        return requested;
    }

    /** The file this client reads, or null before it started. */
    Feed feed() {
        return feed;
    }

    long offset() {
        return offset;
    }

    /** Starts streaming {@code file} from {@code start}. */
    void begin(Feed file, long start) {
        feed = file;
        offset = start;
        truncations = file.truncations();
        pump();
    }

    /** Whether the file was truncated since this client's offset was last checked against its end. */
    boolean missedTruncation() {
        return truncations != feed.truncations();
    }

    void truncationSeen() {
        truncations = feed.truncations();
    }

    @Override
    public void ready(SelectionKey readyKey) {
        if (!open) {
            return;
        }
        int ops = readyKey.readyOps();
        if ((ops & SelectionKey.OP_READ) != 0) {
            read();
        }
        // A parked client wants no OP_WRITE; one seen here is stale from before it caught up.
        if (open && (ops & SelectionKey.OP_WRITE) != 0 && feed != null && !parked) {
            pump();
        }
    }

    /**
     * Sends what the socket takes, up to the end of the file as last seen.
     * Leaves the client either waiting for its socket to drain (OP_WRITE) or
     * parked with its share until the file grows.
     */
    void pump() {
        Feed file = feed;
        try {
            long end = file.size();
            while (offset < end) {
                long wanted = end - offset;
                long n = share.instance.sender.send(file.channel, offset, wanted, socket);
                offset += n;
                sent += n;
                share.bytesSent += n;
                if (n < wanted) {
                    if (n == 0 && offset >= file.channel.size()) {
                        break; // the file is shorter than last reported: its truncation is on the way
                    }
                    interest(SelectionKey.OP_WRITE | (inputClosed ? 0 : SelectionKey.OP_READ));
                    return;
                }
                end = file.size();
            }
        } catch (IOException e) {
            close(file == share.instance.feed() ? "send failed: " + e.getMessage() : "the file was deleted or moved");
            return;
        }
        // Caught up. Reading stays on to notice a reset at once; after a half-close it is
        // re-armed here once, so a peer that has fully gone is found at the next append.
        interest(SelectionKey.OP_READ);
        share.park(this);
    }

    void headerTimedOut() {
        if (open && parser != null) {
            share.instance.atWarn().addKeyValue(LogFields.PEER, peer)
                    .log("[{}] {} rejected: no header within {} s", share.instance.name(), peer,
                            share.instance.settings().headerTimeout().toMillis() / 1000.0);
            close(null);
        }
    }

    void close(String why) {
        if (!open) {
            return;
        }
        open = false;
        if (headerTimer != null) {
            headerTimer.cancel();
        }
        key.cancel();
        share.loop.keyChanged();
        Share.closeQuietly(socket);
        share.removed(this);
        if (why != null) {
            LoggingEventBuilder gone = share.instance.atInfo().addKeyValue(LogFields.PEER, peer)
                    .addKeyValue(LogFields.BYTES, sent);
            if (feed != null) {
                gone.addKeyValue(LogFields.OFFSET, offset);
            }
            gone.log("[{}] {} gone after {} bytes: {}", share.instance.name(), peer, sent, why);
        }
    }

    ClientStatus status() {
        long end = feed == null ? -1 : feed.size();
        long lag = feed == null ? 0 : Math.max(0, end - offset);
        return new ClientStatus(peer, feed == null ? -1 : offset, lag, sent, since);
    }

    private void read() {
        ByteBuffer buffer = share.loop.scratch;
        for (int i = 0; i < READS_PER_EVENT && open; i++) {
            buffer.clear();
            int n;
            try {
                n = socket.read(buffer);
            } catch (IOException e) {
                close(parser != null ? "connection reset before its header" : "connection reset by peer");
                return;
            }
            if (n < 0) {
                inputEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            if (parser != null) {
                buffer.flip();
                parse(buffer);
            }
            // After the header, whatever the client sends is read and dropped.
        }
    }

    private void parse(ByteBuffer bytes) {
        switch (parser.feed(bytes)) {
            case COMPLETE:
                requested = parser.requestedOffset();
                parser = null;
                headerTimer.cancel();
                share.headerReceived(this);
                break;
            case REJECTED:
                share.instance.atWarn().addKeyValue(LogFields.PEER, peer)
                        .log("[{}] {} rejected: {}", share.instance.name(), peer, parser.rejection());
                close(null);
                break;
            default:
                break;
        }
    }

    /** End of stream from the client: a half-close. Keep streaming to it; stop reading. */
    private void inputEnded() {
        if (parser != null) {
            close("closed before sending a header");
            return;
        }
        inputClosed = true;
        interest(key.interestOps() & ~SelectionKey.OP_READ);
    }

    /** Sets the key's interest; the file watch's thread may be the one sending (see IoLoop). */
    private void interest(int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
            share.loop.keyChanged();
        }
    }
}
