package io.tailsrv.server.internal.admission;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceCounters;
import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.config.Peers;
import io.tailsrv.server.internal.connection.Connection;
import io.tailsrv.server.internal.handshake.Handshake;
import io.tailsrv.server.internal.handshake.PendingConnections;
import io.tailsrv.server.internal.loop.IoLoop;
import io.tailsrv.server.internal.streaming.FanOut;

/**
 * The first stage of every connection, on its listener's I/O thread: the
 * allow list, {@code max.pending} (making room by closing the connection
 * that has waited longest), socket options, and the I/O thread the
 * connection will live on ({@link FanOut#placeConnection}). Nothing is read here.
 */
public final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final PendingConnections pending;
    private final FanOut fanOut;
    private volatile InstanceContext context;

    public Admission(InstanceContext context, PendingConnections pending, FanOut fanOut) {
        this.context = context;
        this.pending = pending;
        this.fanOut = fanOut;
    }

    /** The context new connections get: a configuration change applies from the next connection on. */
    public void update(InstanceContext next) {
        context = next;
    }

    InstanceContext context() {
        return context;
    }

    /** A new connection: refused at once if the allow list says so, else handed to an I/O thread. */
    void admit(SocketChannel socket) {
        InstanceContext current = context;
        fanOut.accepted();
        InetSocketAddress peer;
        try {
            peer = (InetSocketAddress) socket.getRemoteAddress();
        } catch (IOException e) {
            Connection.closeQuietly(socket);
            return;
        }
        if (!current.settings().allow().permits(peer.getAddress())) {
            fanOut.refusedAtAdmission(InstanceCounters.ALLOW);
            current.log().warn(LOG).addKeyValue(LogFields.PEER, Peers.format(peer))
                    .log("[{}] {} refused: not in allow list {}", current.name(), Peers.format(peer),
                            current.settings().allow());
            Connection.closeQuietly(socket);
            return;
        }
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            Connection.closeQuietly(socket);
            return;
        }
        IoLoop loop = fanOut.placeConnection();
        Handshake handshake = new Handshake(new Connection(socket, peer, loop), current, pending, fanOut.on(loop));
        Handshake evicted = handshake.admit();
        if (evicted != null) {
            onItsLoop(evicted.connection().loop(), evicted::evict);
        }
        onItsLoop(loop, handshake::start);
    }

    private static void onItsLoop(IoLoop loop, Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
