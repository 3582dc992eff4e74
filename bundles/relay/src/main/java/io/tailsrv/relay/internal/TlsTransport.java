package io.tailsrv.relay.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}: records
 * are read into a buffer of the connection's own (they may arrive in
 * pieces) and decrypted straight into the caller's buffer. Delegated tasks
 * (checking the upstream's certificate) run inline, on the loop thread.
 */
final class TlsTransport implements Transport {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer scratch;
    /** Encrypted bytes read and not yet decrypted; kept ready for writing (position = end of them). */
    private final ByteBuffer fromSocket;
    /** Encrypted bytes not yet sent; kept ready for reading. */
    private final ByteBuffer toSocket;
    private int interest = SelectionKey.OP_READ;

    /**
     * @param scratch where the handshake's unwraps may write, which yield no data; the loop's
     *        chunk buffer serves, as nothing else uses it between two events
     */
    TlsTransport(SocketChannel channel, SSLEngine engine, ByteBuffer scratch) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.scratch = scratch;
        int packet = engine.getSession().getPacketBufferSize();
        this.fromSocket = ByteBuffer.allocateDirect(packet);
        this.toSocket = ByteBuffer.allocateDirect(packet).flip();
        engine.beginHandshake();
    }

    @Override
    public boolean handshake() throws IOException {
        while (true) {
            if (!flush()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult result = unwrap(scratch.clear());
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int read = channel.read(fromSocket);
                        if (read < 0) {
                            throw new EOFException("the upstream closed the connection during the TLS handshake");
                        }
                        if (read == 0) {
                            interest = SelectionKey.OP_READ;
                            return false;
                        }
                    } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("the upstream closed TLS during its handshake");
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }

    @Override
    public boolean send(ByteBuffer source) throws IOException {
        while (true) {
            if (!flush()) {
                return false;
            }
            if (!source.hasRemaining()) {
                interest = SelectionKey.OP_READ;
                return true;
            }
            wrap(source);
        }
    }

    @Override
    public int receive(ByteBuffer destination) throws IOException {
        int received = 0;
        while (true) {
            SSLEngineResult result = unwrap(destination);
            received += result.bytesProduced();
            switch (result.getStatus()) {
                case OK -> afterHandshake();
                case BUFFER_OVERFLOW -> {
                    // The destination is full; what the records still hold waits for the next call.
                    return received;
                }
                case BUFFER_UNDERFLOW -> {
                    int read = channel.read(fromSocket);
                    if (read == 0) {
                        return received;
                    }
                    if (read < 0) {
                        return received > 0 ? received : -1;
                    }
                }
                case CLOSED -> {
                    return received > 0 ? received : -1;
                }
            }
        }
    }

    @Override
    public boolean holdsInput() {
        return fromSocket.position() > 0;
    }

    @Override
    public int interest() {
        return interest;
    }

    /** Says close_notify if the socket takes it at once, and closes. */
    @Override
    public void close() {
        engine.closeOutbound();
        try {
            if (flush()) {
                wrap(NOTHING);
                flush();
            }
        } catch (IOException e) {
            // Closing anyway: the upstream sees the connection end either way.
        }
        Sockets.close(channel);
    }

    /** A TLS 1.3 upstream may update keys after the handshake; anything it needs to send goes now. */
    private void afterHandshake() throws IOException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> runTasks();
            case NEED_WRAP -> {
                if (flush()) {
                    wrap(NOTHING);
                    flush();
                }
            }
            default -> {
            }
        }
    }

    private SSLEngineResult unwrap(ByteBuffer destination) throws SSLException {
        fromSocket.flip();
        try {
            return engine.unwrap(fromSocket, destination);
        } finally {
            fromSocket.compact();
        }
    }

    /** Wraps into the (flushed, so empty) outgoing buffer. */
    private void wrap(ByteBuffer source) throws SSLException {
        toSocket.clear();
        SSLEngineResult result;
        try {
            result = engine.wrap(source, toSocket);
        } finally {
            toSocket.flip();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && !engine.isOutboundDone()) {
            throw new SSLException("TLS is closed");
        }
    }

    /** Sends the pending encrypted bytes: true once none is left. */
    private boolean flush() throws IOException {
        while (toSocket.hasRemaining()) {
            if (channel.write(toSocket) == 0) {
                interest = SelectionKey.OP_WRITE;
                return false;
            }
        }
        return true;
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
