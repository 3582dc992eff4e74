package io.tailsrv.server.internal.streaming;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.ClientStatus;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.api.InstanceCounters;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.connection.Connection;
import io.tailsrv.server.internal.connection.Responding;
import io.tailsrv.server.internal.handshake.Handoff;
import io.tailsrv.server.internal.handshake.StreamRequest;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.LoopTask;

/**
 * The connections of one instance that live on one I/O loop, and the
 * fan-out to them: when the file changes, {@link #refresh} brings every
 * streaming client here up to date in one pass. Everything here but the
 * client count is touched only under that loop's lock: by the loop's
 * thread, or by the file watch's thread running the refresh while the loop
 * is idle (see {@link FanOut}).
 *
 * <p>Clients that have caught up with the file wait in {@code idle}; when it
 * grows they are sent to in one pass. Clients that filled their socket wait
 * for the selector instead, so a slow client costs nothing until its socket
 * drains, and never holds up the others.
 */
public final class LoopClients implements Handoff {

    private static final Logger LOG = LoggerFactory.getLogger(LoopClients.class);
    /** What an HTTP client is told when max.clients is reached. */
    private static final byte[] UNAVAILABLE = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\nRetry-After: 10\r\n"
            + "Connection: close\r\n\r\nmax.clients is reached.\n").getBytes(StandardCharsets.US_ASCII);

    final IoLoop loop;
    /** Runs {@link #refresh} on this loop; requests coalesce. */
    final LoopTask refresh = new LoopTask(this::refresh);
    /** Bytes sent by this group's clients, for the instance's status. */
    long bytesSent;
    /** What this group's connections did, for monitoring. */
    final Counters counters = new Counters();

    private final FanOut fanOut;
    private final Set<Connection> connections = new HashSet<>();
    private final Set<Stream> streams = new HashSet<>();
    private final List<Stream> awaitingFile = new ArrayList<>();
    private final List<Stream> toProbe = new ArrayList<>();
    private List<Stream> idle = new ArrayList<>();
    private List<Stream> spare = new ArrayList<>();
    /** Streaming clients here; read by the file watch's thread to choose who serves an append. */
    private volatile int streaming;
    private ServedFile seenFile;
    private int seenTruncations;

    LoopClients(FanOut fanOut, IoLoop loop) {
        this.fanOut = fanOut;
        this.loop = loop;
    }

    /** Streaming clients on this loop, as last counted. */
    int streaming() {
        return streaming;
    }

    /**
     * Streaming clients here that are behind: catching up, or waiting for a
     * full socket to drain (neither caught up nor waiting for the file). On
     * this loop.
     */
    int behind() {
        return streams.size() - idle.size() - awaitingFile.size();
    }

    /** Connections here, in any stage; on this loop. */
    int connections() {
        return connections.size();
    }

    ServedFile file() {
        return fanOut.file();
    }

    @Override
    public boolean joined(Connection connection) {
        if (fanOut.isClosed()) {
            return false;
        }
        connections.add(connection);
        return true;
    }

    @Override
    public void left(Connection connection) {
        connections.remove(connection);
    }

    @Override
    public void refused(String reason) {
        counters.refused(reason);
    }

    @Override
    public void handshakeDone(Connection connection, InstanceContext context, StreamRequest request) {
        int max = context.settings().maxClients();
        if (!fanOut.takeSlot(max)) {
            counters.refused(InstanceCounters.MAX_CLIENTS);
            refuseFull(connection, context, request, max);
            return;
        }
        Stream stream = new Stream(connection, context, this, request);
        connection.enter(stream);
        streams.add(stream);
        streaming = streams.size();
        ServedFile served = fanOut.file();
        if (served == null) {
            awaitingFile.add(stream);
            context.log().info(LOG).addKeyValue(LogFields.PEER, stream.peer())
                    .log("[{}] {} connected: requested {}, waiting for {} to exist",
                            context.name(), stream.peer(), stream.asked(), context.settings().file());
        } else {
            start(stream, served);
        }
    }

    /** max.clients is reached: a raw client is closed without a byte, an HTTP one told so (503) first. */
    private void refuseFull(Connection connection, InstanceContext context, StreamRequest request, int max) {
        String peer = connection.peer();
        Runnable log = () -> {
            connections.remove(connection);
            context.log().warn(LOG).addKeyValue(LogFields.PEER, peer)
                    .log("[{}] {} refused: max.clients ({}) reached", context.name(), peer, max);
        };
        if (request.http() == null) {
            connection.enter(new Refused(log));
            connection.close(null);
        } else {
            Responding.answer(connection, log, ByteBuffer.wrap(UNAVAILABLE));
        }
    }

    /**
     * A stream whose HTTP answer is a fixed one (HEAD, the viewer page, an
     * unsatisfiable range): it leaves the streaming clients, and gets only
     * that answer.
     */
    void answered(Stream stream, HttpResponse response) {
        Connection connection = stream.connection();
        if (streams.remove(stream)) {
            streaming = streams.size();
            fanOut.releaseSlot();
        }
        awaitingFile.remove(stream);
        if (response.status() >= 400) {
            counters.refused("http: " + response.status());
        } else {
            counters.closed(InstanceCounters.COMPLETE);
        }
        InstanceContext context = stream.context();
        String peer = stream.peer();
        String asked = stream.asked();
        Runnable log = () -> {
            connections.remove(connection);
            context.log().info(LOG).addKeyValue(LogFields.PEER, peer)
                    .log("[{}] {} answered {} {}{}", context.name(), peer, response.status(), asked,
                            response.reason() == null ? "" : ": " + response.reason());
        };
        ByteBuffer body = response.body();
        if (body.hasRemaining()) {
            Responding.answer(connection, log, response.head(), body);
        } else {
            Responding.answer(connection, log, response.head());
        }
    }

    /** The instance's file changed (grew, shrank, appeared or went): bring every client up to date. */
    void refresh() {
        ServedFile served = fanOut.file();
        catchUp(served);
        if (served != null) {
            startAwaiting(served);
            sendToIdle(served.size());
        }
        probeQueued();
    }

    /** A client that has sent all there is: it waits here for the file to grow. */
    void park(Stream stream) {
        if (!stream.parked) {
            stream.parked = true;
            idle.add(stream);
        }
    }

    /** A client to probe for a reset at the end of this pass (see {@link Stream#probeForReset}). */
    void queueProbe(Stream stream) {
        toProbe.add(stream);
    }

    /** Probes the clients queued during this pass. */
    void probeQueued() {
        if (toProbe.isEmpty()) {
            return;
        }
        for (int i = 0; i < toProbe.size(); i++) {
            toProbe.get(i).probeForReset();
        }
        toProbe.clear();
    }

    /** A streaming client closed, for {@code reason} (see InstanceCounters). */
    void removed(Stream stream, String reason) {
        connections.remove(stream.connection());
        if (streams.remove(stream)) {
            streaming = streams.size();
            fanOut.releaseSlot();
            counters.closed(reason);
        }
    }

    /** The instance's counters, as this loop has them, added into {@code into}; on the loop. */
    void addCounters(Tally into) {
        into.accepted += counters.accepted;
        Counters.addInto(into.refused, counters.refused);
        Counters.addInto(into.closed, counters.closed);
        into.bytesSent += bytesSent;
        long now = System.nanoTime();
        for (Stream stream : streams) {
            into.slowestLagBytes = Math.max(into.slowestLagBytes, stream.lagBytes());
            into.slowestLagSeconds = Math.max(into.slowestLagSeconds, stream.lagSeconds(now));
        }
    }

    /** Closes every connection here, in whatever stage; on the loop. */
    void closeAll(String why) {
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close(why);
        }
        connections.clear();
        awaitingFile.clear();
        idle.clear();
        toProbe.clear();
    }

    /** Streaming clients here that half-closed their side (sent an end of stream). */
    int halfClosed() {
        int n = 0;
        for (Stream stream : streams) {
            if (stream.inputClosed()) {
                n++;
            }
        }
        return n;
    }

    List<ClientStatus> snapshot() {
        List<ClientStatus> out = new ArrayList<>(streams.size());
        for (Stream stream : streams) {
            out.add(stream.status());
        }
        return out;
    }

    private void startAwaiting(ServedFile served) {
        if (awaitingFile.isEmpty()) {
            return;
        }
        List<Stream> ready = new ArrayList<>(awaitingFile);
        awaitingFile.clear();
        for (Stream stream : ready) {
            if (stream.isOpen()) {
                start(stream, served);
            }
        }
    }

    private void start(Stream stream, ServedFile served) {
        catchUp(served); // clients of an older file go before a client of this one starts
        stream.begin(served);
    }

    private void sendToIdle(long size) {
        if (idle.isEmpty()) {
            return;
        }
        List<Stream> batch = idle;
        idle = spare;
        spare = batch;
        for (int i = 0; i < batch.size(); i++) {
            Stream stream = batch.get(i);
            if (!stream.isOpen()) {
                continue;
            }
            if (stream.offset() < size) {
                stream.parked = false;
                stream.pump();
            } else {
                idle.add(stream);
            }
        }
        batch.clear();
    }

    /** Reconciles the clients with {@code served} if it changed since they last were. */
    private void catchUp(ServedFile served) {
        if (served != seenFile || (served != null && served.truncations() != seenTruncations)) {
            reconcile(served);
        }
    }

    /** Closes the clients the file's latest change leaves nothing to send to. */
    private void reconcile(ServedFile served) {
        for (Stream stream : new ArrayList<>(streams)) {
            ServedFile own = stream.file();
            if (own == null) {
                continue; // waiting for a file: unaffected
            }
            if (own != served) {
                stream.end(InstanceCounters.FILE_GONE, "the file was deleted or moved");
            } else if (stream.missedTruncation()) {
                if (stream.offset() > served.size()) {
                    stream.end(InstanceCounters.TRUNCATED_PAST, "the file was truncated to " + served.size()
                            + " bytes, before its offset");
                } else {
                    stream.truncationSeen();
                }
            }
        }
        seenFile = served;
        seenTruncations = served == null ? 0 : served.truncations();
        idle.removeIf(stream -> !stream.isOpen());
    }

    /** The stage of a connection refused at the end of its handshake: nothing more to do but close. */
    private static final class Refused implements Connection.Stage {
        private final Runnable closed;

        Refused(Runnable closed) {
            this.closed = closed;
        }

        @Override
        public void readable() {
        }

        @Override
        public void writable() {
        }

        @Override
        public void closed(String why) {
            closed.run();
        }
    }
}
