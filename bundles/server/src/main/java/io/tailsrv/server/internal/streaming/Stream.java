package io.tailsrv.server.internal.streaming;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.HttpRequest;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.connection.Connection;
import io.tailsrv.server.internal.handshake.StreamRequest;
import io.tailsrv.server.internal.loop.Timer;

/**
 * The streaming stage of one connection: the file from its offset on, then
 * every byte appended. Lives on its connection's loop, touched only under
 * that loop's lock.
 *
 * <p>A client that has caught up waits in its {@link LoopClients}' idle list
 * (parked) until the file grows; one whose socket is full waits for the
 * selector to say it drained, and costs nothing meanwhile. What the client
 * sends is read and dropped, which is how a reset is noticed at once; after
 * a half-close (end of stream) there is nothing left to select for, and
 * reads cannot tell a reset from the end of stream, so a client that has
 * gone entirely is found by asking the kernel just after the next send to
 * it, which draws the peer's reset ({@link #probeForReset}).
 */
final class Stream implements Connection.Stage {

    private static final Logger LOG = LoggerFactory.getLogger(Stream.class);
    /** Reads per readiness event: a client flooding us with bytes cannot keep the thread. */
    private static final int READS_PER_EVENT = 16;
    /**
     * When to look again for a reset that had not arrived just after a send:
     * a peer further away than loopback answers within a round trip.
     */
    static final long RESET_PROBE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Connection connection;
    private final InstanceContext context;
    private final LoopClients group;
    private final StreamRequest request;
    private FileSender sender;
    /** How it speaks, for the console: raw, http or sse, and /tls inside TLS. */
    private String protocol;
    /** An HTTP response head, still to be written before file bytes; null once written (or for raw clients). */
    private ByteBuffer prefix;
    /** The byte after the last to send (a finite HTTP response), or -1 to follow the file. */
    private long limit = -1;
    private ServedFile file;
    private long offset = -1;
    /** The file's truncation count when this client last checked its offset against the file's end. */
    private int truncations;
    private long sent;
    private boolean inputClosed;
    /** When its offset was last the end of the file (System.nanoTime), for its lag in seconds. */
    private long caughtUpAt = System.nanoTime();
    /** Why it is being closed, for the counters; null when closed from outside (the instance stopping). */
    private String ending;
    /** Waiting in its group's idle list for the file to grow. */
    boolean parked;
    /** In its group's list of clients to probe for a reset after this pass. */
    boolean probeQueued;
    private Timer laterProbe;

    Stream(Connection connection, InstanceContext context, LoopClients group, StreamRequest request) {
        this.connection = connection;
        this.context = context;
        this.group = group;
        this.request = request;
        this.protocol = request.http() == null ? "raw" : "http";
        if (!connection.transport().plain()) {
            protocol += "/tls";
        }
    }

    Connection connection() {
        return connection;
    }

    InstanceContext context() {
        return context;
    }

    String peer() {
        return connection.peer();
    }

    /** What the client asked for, for log lines: an offset, or an HTTP request line. */
    String asked() {
        return request.http() == null ? Long.toString(request.requestedOffset()) : request.http().line();
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    /** The file this client reads, or null before it started. */
    ServedFile file() {
        return file;
    }

    long offset() {
        return offset;
    }

    boolean inputClosed() {
        return inputClosed;
    }

    /**
     * Starts streaming {@code served}: where from is resolved now, against
     * the file's size; an HTTP client first gets its response head, or, if
     * its answer is a fixed one (HEAD, the viewer page, 416), only that.
     */
    void begin(ServedFile served) {
        long size = sizeNow(served);
        HttpRequest http = request.http();
        long start;
        if (http == null) {
            start = context.offsets().resolve(request.requestedOffset(), size);
            sender = fileSender();
        } else {
            HttpResponse response = http.respond(size, context.settings().httpContentType());
            if (!response.streamsFile()) {
                group.answered(this, response);
                return;
            }
            prefix = response.head();
            start = response.start();
            limit = response.end();
            if (response.events()) {
                protocol = protocol.replace("http", "sse");
                sender = new FramingFileSender(context.http().newFramer(start), connection.transport(),
                        connection.loop().records());
            } else {
                sender = fileSender();
            }
        }
        LoggingEventBuilder line = context.log().info(LOG).addKeyValue(LogFields.PEER, peer())
                .addKeyValue(LogFields.OFFSET, start);
        if (connection.identity() != null) {
            line = line.addKeyValue(LogFields.IDENTITY, connection.identity());
        }
        line.log("[{}] {} connected{}: requested {}, starting at {} of {} bytes", context.name(), peer(),
                connection.identity() == null ? "" : " as " + connection.identity(), asked(), start, size);
        file = served;
        offset = start;
        truncations = served.truncations();
        pump();
    }

    /** File bytes as they are: zero copy to a plain socket, read and encrypted for TLS. */
    private FileSender fileSender() {
        return connection.transport().plain()
                ? new ZeroCopyFileSender(context.zeroCopy(), connection.channel(), group)
                : new TlsFileSender(connection.transport(), connection.loop().batches());
    }

    /**
     * The file's size as it is now, for resolving an offset counted from its
     * end: the size last reported by the file watch can be one write behind,
     * and "the last N bytes" means those written before the client asked.
     * The client then waits for that report before it is sent anything past
     * the reported size.
     */
    private static long sizeNow(ServedFile served) {
        try {
            return served.channel.size();
        } catch (IOException e) {
            return served.size();
        }
    }

    /** Whether the file was truncated since this client's offset was last checked against its end. */
    boolean missedTruncation() {
        return truncations != file.truncations();
    }

    void truncationSeen() {
        truncations = file.truncations();
    }

    @Override
    public void readable() {
        ByteBuffer buffer = connection.loop().scratch();
        for (int i = 0; i < READS_PER_EVENT && connection.isOpen(); i++) {
            buffer.clear();
            int n;
            try {
                n = connection.read(buffer); // what the client sends after its request is dropped
            } catch (IOException e) {
                end(InstanceCounters.RESET, "connection reset by peer");
                return;
            }
            if (n < 0) {
                if (!connection.transport().canSendAfterEnd()) {
                    end(InstanceCounters.GONE, "closed by the client (close_notify)");
                    return;
                }
                inputEnded();
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    @Override
    public void writable() {
        // A parked client wants no OP_WRITE (unless a TLS record or an event is still to be written);
        // one seen here is stale from before it caught up.
        if (file != null && (!parked || sender.pending())) {
            pump();
            group.probeQueued();
        }
    }

    /**
     * Sends what the socket takes, up to the end of the file as last seen
     * (or of a finite response). Leaves the client either waiting for its
     * socket to drain (OP_WRITE) or parked with its group until the file
     * grows; a finite response, once all sent, closes.
     */
    void pump() {
        ServedFile served = file;
        long before = sent;
        try {
            if (!sender.flush() || !writePrefix()) {
                awaitWritable();
                return;
            }
            long end = bounded(served.size());
            while (offset < end) {
                long wanted = end - offset;
                long n = sender.send(served.channel, offset, wanted);
                offset += n;
                sent += n;
                group.bytesSent += n;
                if (n < wanted) {
                    if (sender.full(served.channel, offset)) {
                        awaitWritable();
                        afterSend(before);
                        return;
                    }
                    break; // nothing to send now: a truncation is on the way, or a line waits for its end
                }
                end = bounded(served.size());
            }
            sender.caughtUp();
        } catch (IOException e) {
            if (served == group.file()) {
                end(InstanceCounters.SEND_FAILED, "send failed: " + e.getMessage());
            } else {
                end(InstanceCounters.FILE_GONE, "the file was deleted or moved");
            }
            return;
        }
        if (limit >= 0 && offset >= limit && !sender.pending()) {
            end(InstanceCounters.COMPLETE, "response complete");
            return;
        }
        if (offset >= served.size()) {
            caughtUpAt = System.nanoTime();
        }
        int reading = inputClosed ? 0 : SelectionKey.OP_READ; // reading notices a reset at once
        connection.interest(sender.pending() ? reading | SelectionKey.OP_WRITE : reading);
        group.park(this);
        afterSend(before);
    }

    private long bounded(long size) {
        return limit < 0 ? size : Math.min(size, limit);
    }

    private void awaitWritable() {
        connection.interest(SelectionKey.OP_WRITE | (inputClosed ? 0 : SelectionKey.OP_READ));
    }

    /** Writes the HTTP response head, if one is left to write; true once none is. */
    private boolean writePrefix() throws IOException {
        if (prefix == null) {
            return true;
        }
        while (prefix.hasRemaining()) {
            if (connection.write(prefix) == 0) {
                return false;
            }
        }
        prefix = null;
        return connection.transport().flush();
    }

    /** A client that half-closed and was just sent bytes: look for its reset once this pass is over. */
    private void afterSend(long before) {
        if (inputClosed && sent > before && !probeQueued) {
            probeQueued = true;
            group.queueProbe(this);
        }
    }

    /**
     * Asks the kernel whether the connection was reset: a peer that has
     * closed entirely answers a send with a reset. If none came yet, asks
     * once more a little later. Called only after sends, never in a loop.
     */
    void probeForReset() {
        probeQueued = false;
        if (!probeNow()) {
            return;
        }
        if (laterProbe == null || !laterProbe.isPending()) {
            laterProbe = connection.loop().schedule(RESET_PROBE_DELAY_NANOS, this::probeNow);
        }
    }

    /** False if the probe found the peer gone (and closed the connection). */
    private boolean probeNow() {
        if (!connection.isOpen()) {
            return false;
        }
        if (context.peers().isBroken(connection.channel())) {
            end(InstanceCounters.GONE, "closed by the client");
            return false;
        }
        return true;
    }

    @Override
    public void closed(String why) {
        if (laterProbe != null) {
            laterProbe.cancel();
        }
        group.removed(this, ending != null ? ending : InstanceCounters.STOPPED);
        if (why != null) {
            LoggingEventBuilder gone = context.log().info(LOG).addKeyValue(LogFields.PEER, peer())
                    .addKeyValue(LogFields.BYTES, sent);
            if (file != null) {
                gone.addKeyValue(LogFields.OFFSET, offset);
            }
            if (connection.identity() != null) {
                gone.addKeyValue(LogFields.IDENTITY, connection.identity());
            }
            gone.log("[{}] {} gone after {} bytes: {}", context.name(), peer(), sent, why);
        }
    }

    /** Closes the connection for {@code reason} (counted) and {@code why} (logged). */
    void end(String reason, String why) {
        ending = reason;
        connection.close(why);
    }

    /** Bytes between its offset and the end of the file; 0 before it started. */
    long lagBytes() {
        return file == null ? 0 : Math.max(0, file.size() - offset);
    }

    /** Seconds since its offset was last the end of the file; 0 while it is there. */
    double lagSeconds(long now) {
        return lagBytes() == 0 ? 0 : (now - caughtUpAt) / 1e9;
    }

    ClientStatus status() {
        return new ClientStatus(peer(), file == null ? -1 : offset, lagBytes(), lagSeconds(System.nanoTime()), sent,
                connection.since(), connection.identity(), protocol);
    }

    /**
     * End of stream from the client: a half-close. Keep streaming to it; stop reading. Bytes already sent may
     * have reached a peer that had closed entirely before this end of stream was read (an append raced it): its
     * reset is then already here or on its way, so look for it now rather than at the next append.
     */
    private void inputEnded() {
        inputClosed = true;
        connection.interest(connection.interest() & ~SelectionKey.OP_READ);
        if (sent > 0) {
            probeForReset();
        }
    }
}
