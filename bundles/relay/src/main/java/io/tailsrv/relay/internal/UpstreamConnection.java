package io.tailsrv.relay.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.RelayConfig.Upstream;

/**
 * One connection to an upstream: connect, the TLS handshake if any, one
 * request sent, then whatever arrives handed to its {@link Receiver} a
 * chunk at a time, until one side ends it. Loop thread only.
 */
final class UpstreamConnection implements RelayLoop.SelectionHandler {

    /** Why a connection ended when the upstream closed it. */
    static final String CLOSED_BY_UPSTREAM = "the upstream closed the connection";

    /** Chunks read for one connection before the loop turns to the others; TLS records left over wait their turn. */
    private static final int READS_PER_TURN = 4;

    /** Where the connection stands. */
    private enum Phase { CONNECTING, OPENING, RECEIVING }

    /** Told what happens on the connection, on the loop thread. */
    interface Receiver {

        /** Connected, and the request sent. */
        void sent();

        /** Bytes arrived: take them all, or close the connection. */
        void received(ByteBuffer bytes);

        /** It ended, and is closed: refused, timed out, closed by the upstream, failed. Never after {@link #close}. */
        void ended(String why);
    }

    private final RelayLoop loop;
    private final Upstream upstream;
    private final ClientTls tls;
    private final ByteBuffer request;
    private final Receiver receiver;
    private SocketChannel channel;
    private SelectionKey key;
    private Transport transport;
    private RelayLoop.Scheduled timeout;
    private Phase phase = Phase.CONNECTING;
    private boolean closed;

    private UpstreamConnection(RelayLoop loop, Upstream upstream, ClientTls tls, String request, Receiver receiver) {
        this.loop = loop;
        this.upstream = upstream;
        this.tls = tls;
        this.request = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        this.receiver = receiver;
    }

    /**
     * Starts connecting to {@code upstream} to send it {@code request}.
     *
     * @param tls null for plain TCP
     * @param timeout how long connecting, the handshake and the request may take
     */
    static UpstreamConnection open(RelayLoop loop, Upstream upstream, ClientTls tls, String request, Duration timeout,
            Receiver receiver) {
        UpstreamConnection connection = new UpstreamConnection(loop, upstream, tls, request, receiver);
        connection.start(timeout);
        return connection;
    }

    /** Closes it, without a word to the receiver. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timeout != null) {
            timeout.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        if (transport != null) {
            transport.close();
        } else if (channel != null) {
            Sockets.close(channel);
        }
    }

    @Override
    public void selected(SelectionKey selected) {
        if (closed) {
            return; // a turn handed over before it was closed
        }
        try {
            switch (phase) {
                case CONNECTING -> {
                    if (channel.finishConnect()) {
                        established();
                    }
                }
                case OPENING -> open();
                case RECEIVING -> receive();
            }
        } catch (IOException e) {
            end(Sockets.describe(e));
        }
    }

    private void start(Duration limit) {
        timeout = loop.schedule(limit.toNanos(), () -> end("timed out after " + limit.toMillis() + " ms"));
        InetSocketAddress address = new InetSocketAddress(upstream.host(), upstream.port());
        if (address.isUnresolved()) {
            // Later, as the receiver may not expect to hear from a connection it has not been handed yet.
            loop.execute(() -> end("cannot resolve " + upstream.host()));
            return;
        }
        try {
            channel = Sockets.open();
            key = loop.register(channel, this);
            // Connected at once (loopback may be) or not, the rest happens in a later turn: the
            // receiver hears nothing before open() has returned the connection to it.
            if (channel.connect(address)) {
                loop.execute(() -> selected(key));
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            String why = Sockets.describe(e);
            loop.execute(() -> end(why));
        }
    }

    private void established() throws IOException {
        transport = tls == null ? new PlainTransport(channel)
                : new TlsTransport(channel, tls.newEngine(upstream.host(), upstream.port()), loop.chunk());
        phase = Phase.OPENING;
        open();
    }

    /** The handshake, then the request. */
    private void open() throws IOException {
        if (!transport.handshake() || !transport.send(request)) {
            key.interestOps(transport.interest());
            return;
        }
        timeout.cancel();
        phase = Phase.RECEIVING;
        key.interestOps(SelectionKey.OP_READ);
        receiver.sent();
    }

    private void receive() throws IOException {
        for (int turn = 0; turn < READS_PER_TURN; turn++) {
            if (closed) {
                return;
            }
            ByteBuffer chunk = loop.chunk();
            int read = transport.receive(chunk);
            if (read < 0) {
                end(CLOSED_BY_UPSTREAM);
                return;
            }
            if (read == 0) {
                return;
            }
            receiver.received(chunk.flip());
        }
        if (!closed && transport.holdsInput()) {
            // The socket may be empty while decrypted-to-be records wait: the selector would not come back.
            loop.execute(this::receiveLater);
        }
    }

    private void receiveLater() {
        selected(key);
    }

    private void end(String why) {
        if (closed) {
            return;
        }
        close();
        receiver.ended(why);
    }
}
