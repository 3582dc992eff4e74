package io.tailsrv.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client on a {@link SocketChannel}, for tests that drive many
 * clients from one selector: the handshake and the header are written while
 * the channel still blocks; after that, {@link #read} never blocks and
 * decrypts straight into the caller's buffer, so that ciphertext left
 * behind is always an incomplete record, whose rest the selector will
 * announce.
 */
final class TlsChannel {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private boolean closed;

    private TlsChannel(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    /** Completes a TLS handshake over {@code blocking}, a connected channel in blocking mode. */
    static TlsChannel handshake(SocketChannel blocking, SSLContext context) throws IOException {
        SSLEngine engine = context.createSSLEngine("localhost", blocking.socket().getPort());
        engine.setUseClientMode(true);
        TlsChannel tls = new TlsChannel(blocking, engine);
        engine.beginHandshake();
        ByteBuffer discard = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        while (status != SSLEngineResult.HandshakeStatus.FINISHED
                && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
                case NEED_WRAP -> status = tls.wrap(NOTHING).getHandshakeStatus();
                case NEED_TASK -> status = tls.runTasks();
                default -> { // NEED_UNWRAP
                    tls.netIn.flip();
                    SSLEngineResult result = engine.unwrap(tls.netIn, discard);
                    tls.netIn.compact();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && blocking.read(tls.netIn) < 0) {
                        throw new EOFException("the server closed the connection during the TLS handshake");
                    }
                    status = result.getHandshakeStatus();
                }
            }
        }
        return tls;
    }

    /** Encrypts and sends all of {@code plain}; while the channel blocks (the header). */
    void write(ByteBuffer plain) throws IOException {
        while (plain.hasRemaining()) {
            wrap(plain);
        }
    }

    /**
     * Reads what has arrived and decrypts every whole record into {@code dst},
     * which must have room for what 32 KiB of ciphertext holds. Returns the
     * bytes decrypted (0 if none yet), or -1 at the end of the stream: the
     * server's close_notify, a TCP end, or a reset.
     */
    int read(ByteBuffer dst) throws IOException {
        if (closed) {
            return -1;
        }
        int start = dst.position();
        boolean end = channel.read(netIn) < 0;
        netIn.flip();
        try {
            while (netIn.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(netIn, dst);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break; // an incomplete record (its rest comes later), or dst is full
                }
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
        } catch (SSLException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        } finally {
            netIn.compact();
        }
        int read = dst.position() - start;
        return read == 0 && (end || closed) ? -1 : read;
    }

    /** Sends a close_notify, as a client that closes politely does, if the socket takes it now. */
    void closeNotify() throws IOException {
        engine.closeOutbound();
        netOut.clear();
        engine.wrap(NOTHING, netOut);
        netOut.flip();
        channel.write(netOut);
    }

    private SSLEngineResult wrap(ByteBuffer plain) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(plain, netOut);
        netOut.flip();
        while (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return result;
    }

    private SSLEngineResult.HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }
}
