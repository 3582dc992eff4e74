package io.tailsrv.server.internal.handshake;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.ServerTls;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.config.TlsMode;
import io.tailsrv.server.internal.connection.Connection;
import io.tailsrv.server.internal.connection.Responding;
import io.tailsrv.server.internal.connection.TlsTransport;
import io.tailsrv.server.internal.loop.Timer;

/**
 * The handshake stage of one connection: from its admission until it has
 * said what it wants, all within {@code header.timeout}. The first byte
 * names the protocol: 0x16 opens TLS (where the instance speaks it), after
 * which the first decrypted byte names the protocol again; otherwise the
 * offset header (a digit, a sign or a blank). The protocol's reader then
 * reads the request, and the connection goes to {@link Handoff#handshakeDone}.
 * Until then it counts against {@code max.pending} ({@link PendingConnections}).
 */
public final class Handshake implements Connection.Stage {

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);
    /** Reads per readiness event: a client flooding us with bytes cannot keep the thread. */
    private static final int READS_PER_EVENT = 16;
    /** The first byte of a TLS record of type handshake: a ClientHello opens with it. No header does. */
    private static final byte TLS_HANDSHAKE = 0x16;

    private final Connection connection;
    private final InstanceContext context;
    private final PendingConnections pending;
    private final Handoff handoff;
    /** Set once: by finishing, closing, or being chosen for eviction (on another thread). */
    private final AtomicBoolean settled = new AtomicBoolean();
    private RequestReader reader;
    /** Set while the TLS handshake is under way; null before and after. */
    private TlsTransport tls;
    /** Whether the connection has been through TLS: the request comes decrypted. */
    private boolean encrypted;
    private Timer timeout;

    public Handshake(Connection connection, InstanceContext context, PendingConnections pending, Handoff handoff) {
        this.connection = connection;
        this.context = context;
        this.pending = pending;
        this.handoff = handoff;
    }

    /**
     * Counts the connection in; the caller closes whatever connection this
     * returns (the longest-waiting one, evicted to make room) with
     * {@link #evict}, on that connection's loop.
     */
    public Handshake admit() {
        return pending.join(this, context.settings().maxPending());
    }

    /** Starts reading the request; on the connection's loop. */
    public void start() {
        if (!connection.isOpen()) {
            return; // evicted before it started
        }
        if (!handoff.joined(connection)) {
            pending.leave(this);
            Connection.closeQuietly(connection.channel());
            return;
        }
        try {
            connection.register(this);
        } catch (ClosedChannelException e) {
            connection.close(null);
            return;
        }
        timeout = connection.loop().schedule(context.headerTimeout().toNanos(), this::timedOut);
    }

    /** Closes the connection to make room for a newer one; on its loop. Settled already by {@link #admit}. */
    public void evict() {
        if (connection.isOpen()) {
            handoff.refused(InstanceCounters.MAX_PENDING);
            context.log().warn(LOG).addKeyValue(LogFields.PEER, connection.peer())
                    .log("[{}] {} closed: it waited longest in its handshake, and max.pending ({}) was reached",
                            context.name(), connection.peer(), context.settings().maxPending());
            connection.close(null);
        }
    }

    public Connection connection() {
        return connection;
    }

    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }

    @Override
    public void readable() {
        if (tls != null) {
            driveTls();
            return;
        }
        ByteBuffer buffer = connection.loop().scratch();
        for (int i = 0; i < READS_PER_EVENT && connection.isOpen(); i++) {
            buffer.clear();
            int n;
            try {
                n = connection.read(buffer);
            } catch (SSLException e) {
                String why = context.tls().describe(e);
                refuse("tls: " + why, "TLS failed before its header: " + why);
                return;
            } catch (IOException e) {
                connection.close("connection reset before its header");
                return;
            }
            if (n < 0) {
                connection.close("closed before sending a header");
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            if (read(buffer)) {
                return; // done or refused; whatever followed the request is not the handshake's
            }
        }
    }

    @Override
    public void writable() {
        if (tls != null) {
            driveTls();
        }
    }

    @Override
    public void closed(String why) {
        if (timeout != null) {
            timeout.cancel();
        }
        pending.leave(this);
        handoff.left(connection);
        if (why != null) {
            context.log().info(LOG).addKeyValue(LogFields.PEER, connection.peer()).addKeyValue(LogFields.BYTES, 0)
                    .log("[{}] {} gone after 0 bytes: {}", context.name(), connection.peer(), why);
        }
    }

    /** Feeds the request's reader; true once the handshake is over, one way or the other (or TLS began). */
    private boolean read(ByteBuffer bytes) {
        if (reader == null) {
            byte first = bytes.get(bytes.position());
            if (!encrypted) {
                TlsMode mode = context.settings().tls();
                if (first == TLS_HANDSHAKE && mode != TlsMode.OFF) {
                    startTls(bytes);
                    return true;
                }
                if (mode == TlsMode.REQUIRED) {
                    refuse(InstanceCounters.PLAIN_ON_TLS, "plain text on a TLS-only port");
                    return true;
                }
            }
            reader = readerFor(first);
        }
        switch (reader.feed(bytes)) {
            case DONE:
                finish(reader.request());
                return true;
            case REJECTED:
                ByteBuffer[] answer = reader.rejectionResponse();
                if (answer == null) {
                    refuse(InstanceCounters.BAD_REQUEST, reader.rejection());
                } else {
                    answerAndClose(reader.rejectionKey(), reader.rejection(), answer);
                }
                return true;
            default:
                return false;
        }
    }

    /**
     * The protocol the first byte names: an ASCII letter opens an HTTP
     * request (where the instance speaks HTTP); anything else goes to the
     * offset header's reader, which refuses what is not a header with its
     * usual reasons.
     */
    private RequestReader readerFor(byte first) {
        boolean letter = (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z');
        if (letter && context.http() != null) {
            return new HttpRequestReading(context.http());
        }
        return new OffsetRequestReader(context.offsets());
    }

    /** A ClientHello: TLS from here on, and the request inside it. */
    private void startTls(ByteBuffer first) {
        InetSocketAddress peer = connection.address();
        tls = new TlsTransport(context.tls().newEngine(peer.getHostString(), peer.getPort()), connection.channel(),
                connection.loop().records(), connection.loop().batches());
        tls.received(first);
        connection.use(tls);
        driveTls();
    }

    /** Moves the TLS handshake on; once done, checks who the client is and reads its request. */
    private void driveTls() {
        TlsTransport.Progress progress;
        try {
            progress = tls.handshake();
        } catch (SSLException e) {
            String why = context.tls().describe(e);
            refuse("tls: " + why, "TLS handshake failed: " + why);
            return;
        } catch (IOException e) {
            connection.close("connection reset during the TLS handshake");
            return;
        }
        switch (progress) {
            case NEEDS_READ -> connection.interest(SelectionKey.OP_READ);
            case NEEDS_WRITE -> connection.interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            case DONE -> tlsDone();
        }
    }

    private void tlsDone() {
        ServerTls.ClientIdentity client = context.tls().identify(tls.engine().getSession());
        tls = null;
        encrypted = true;
        connection.identity(client.name());
        connection.interest(SelectionKey.OP_READ);
        if (!client.admitted()) {
            refuse(InstanceCounters.TLS_IDENTITY, client.refusal());
            return;
        }
        readable(); // the request may have come with the handshake's last flight
    }

    private void finish(StreamRequest request) {
        timeout.cancel();
        if (!pending.leave(this)) {
            evict(); // chosen for eviction just now: the newer connection has its place
            return;
        }
        handoff.handshakeDone(connection, context, request);
    }

    /** Refuses with a response (an HTTP error): counted and logged like any refusal, sent, then closed. */
    private void answerAndClose(String key, String reason, ByteBuffer[] answer) {
        handoff.refused(key);
        timeout.cancel();
        pending.leave(this);
        String peer = connection.peer();
        Responding.answer(connection, () -> {
            handoff.left(connection);
            context.log().warn(LOG).addKeyValue(LogFields.PEER, peer)
                    .log("[{}] {} rejected: {}", context.name(), peer, reason);
        }, answer);
    }

    private void refuse(String key, String reason) {
        handoff.refused(key);
        LoggingEventBuilder line = context.log().warn(LOG).addKeyValue(LogFields.PEER, connection.peer());
        if (connection.identity() != null) {
            line = line.addKeyValue(LogFields.IDENTITY, connection.identity());
        }
        line.log("[{}] {} rejected: {}", context.name(), connection.peer(), reason);
        connection.close(null);
    }

    private void timedOut() {
        if (connection.isOpen()) {
            handoff.refused(InstanceCounters.HEADER_TIMEOUT);
            context.log().warn(LOG).addKeyValue(LogFields.PEER, connection.peer())
                    .log("[{}] {} rejected: no header within {} s", context.name(), connection.peer(),
                            context.headerTimeout().toMillis() / 1000.0);
            connection.close(null);
        }
    }
}
