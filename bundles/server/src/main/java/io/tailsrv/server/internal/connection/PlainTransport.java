package io.tailsrv.server.internal.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Bytes as they are, straight to and from the socket; it holds nothing of its own. */
final class PlainTransport implements Transport {

    private final SocketChannel socket;

    PlainTransport(SocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        return socket.read(into);
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        return socket.write(from);
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public boolean pending() {
        return false;
    }

    @Override
    public boolean plain() {
        return true;
    }

    @Override
    public boolean canSendAfterEnd() {
        return true;
    }

    @Override
    public void release() {
        // nothing held
    }
}
