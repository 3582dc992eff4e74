package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** The socket's bytes as they are: read straight into the caller's (direct) buffer. */
final class PlainTransport implements Transport {

    private final SocketChannel channel;
    private int interest = SelectionKey.OP_READ;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean handshake() {
        return true;
    }

    @Override
    public boolean send(ByteBuffer source) throws IOException {
        channel.write(source);
        interest = source.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        return !source.hasRemaining();
    }

    @Override
    public int receive(ByteBuffer destination) throws IOException {
        return channel.read(destination);
    }

    @Override
    public boolean holdsInput() {
        return false;
    }

    @Override
    public int interest() {
        return interest;
    }

    @Override
    public void close() {
        Sockets.close(channel);
    }
}
