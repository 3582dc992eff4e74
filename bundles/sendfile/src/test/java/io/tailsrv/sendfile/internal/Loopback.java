package io.tailsrv.sendfile.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Both ends of one loopback TCP connection, for tests. */
record Loopback(SocketChannel sender, SocketChannel peer) implements AutoCloseable {

    /** A connection with the kernel's default buffer sizes. */
    static Loopback open() throws IOException {
        return open(0, 0);
    }

    /**
     * A connection whose sender has a send buffer of about {@code sendBuffer}
     * bytes and whose peer a receive buffer of about {@code receiveBuffer}
     * (0: the default). Small buffers fill after a few kilobytes.
     */
    static Loopback open(int sendBuffer, int receiveBuffer) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            // set before listening: an accepted socket inherits it, and the window is sized at the handshake
            if (receiveBuffer > 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel sender = SocketChannel.open();
            if (sendBuffer > 0) {
                sender.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
            }
            sender.connect(server.getLocalAddress());
            return new Loopback(sender, server.accept());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            sender.close();
        } finally {
            peer.close();
        }
    }
}
