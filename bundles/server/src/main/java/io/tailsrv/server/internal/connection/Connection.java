package io.tailsrv.server.internal.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;

import io.tailsrv.server.internal.config.Peers;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.loop.ReadyHandler;

/**
 * One accepted socket, from its handshake to its close. It belongs to one
 * I/O loop and is touched only under that loop's lock, so no field needs
 * one of its own. What it does when its socket is ready depends on the
 * stage it is in ({@link Stage}: the handshake, then streaming); the
 * connection itself only owns the socket, its selection key and its close.
 */
public final class Connection implements ReadyHandler {

    /** What a connection does in one stage of its life. */
    public interface Stage {

        /** The socket has bytes to read (or an end of stream, or an error). */
        void readable();

        /** The socket has room to write. */
        void writable();

        /**
         * The connection was closed, by this stage or from outside (its
         * instance stopping, a newer connection evicting it): let go of what
         * the stage holds, and say why if {@code why} is not null.
         */
        void closed(String why);
    }

    private final SocketChannel socket;
    private Transport transport;
    /** Who the client is, by its TLS certificate; null without one. */
    private String identity;
    private final String peer;
    private final InetSocketAddress address;
    private final IoLoop loop;
    private final Instant since = Instant.now();
    private SelectionKey key;
    private Stage stage;
    private boolean open = true;

    public Connection(SocketChannel socket, InetSocketAddress address, IoLoop loop) {
        this.socket = socket;
        this.transport = new PlainTransport(socket);
        this.address = address;
        this.peer = Peers.format(address);
        this.loop = loop;
    }

    /** Starts selecting for reads, in {@code first}; on the loop. */
    public void register(Stage first) throws ClosedChannelException {
        stage = first;
        key = loop.register(socket, SelectionKey.OP_READ, this);
    }

    /** Moves to the next stage: what the socket's readiness means from now on. */
    public void enter(Stage next) {
        stage = next;
    }

    public String peer() {
        return peer;
    }

    public InetSocketAddress address() {
        return address;
    }

    public IoLoop loop() {
        return loop;
    }

    public Instant since() {
        return since;
    }

    public boolean isOpen() {
        return open;
    }

    /** The socket itself, for a sender that hands it to the kernel (sendfile), or a TLS transport. */
    public SocketChannel channel() {
        return socket;
    }

    /** How bytes cross the socket: as they are until a TLS handshake puts TLS in between. */
    public Transport transport() {
        return transport;
    }

    public void use(Transport next) {
        transport = next;
    }

    public String identity() {
        return identity;
    }

    public void identity(String name) {
        identity = name;
    }

    /** Reads what has arrived, through the transport (see {@link Transport#read}). */
    public int read(ByteBuffer into) throws IOException {
        return transport.read(into);
    }

    /** Writes what the socket takes now, through the transport. */
    public int write(ByteBuffer from) throws IOException {
        return transport.write(from);
    }

    public int interest() {
        return key.interestOps();
    }

    /** Selects for {@code ops}; the file watch's thread may be the caller (see IoLoop). */
    public void interest(int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
            loop.keyChanged();
        }
    }

    @Override
    public void ready(SelectionKey readyKey) {
        int ops = readyKey.readyOps();
        if (open && (ops & SelectionKey.OP_READ) != 0) {
            stage.readable();
        }
        if (open && (ops & SelectionKey.OP_WRITE) != 0) {
            stage.writable();
        }
    }

    /** Closes the socket and tells the stage; {@code why}, if not null, is logged by it. Idempotent. */
    public void close(String why) {
        if (!open) {
            return;
        }
        open = false;
        if (key != null) {
            key.cancel();
            loop.keyChanged();
        }
        closeQuietly(socket);
        transport.release();
        if (stage != null) {
            stage.closed(why);
        }
    }

    public static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket nobody will use again: nothing to do about it
        }
    }
}
