package io.tailsrv.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The server end of one TLS connection: an engine made by the code under
 * test, driven over a real socket with blocking reads and writes (the
 * product drives it non-blocking; what is tested here is the engine's
 * configuration, not its driving).
 */
final class ServerEnd implements Closeable {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] chunk = new byte[16 * 1024];
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;

    ServerEnd(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    SSLSession session() {
        return engine.getSession();
    }

    /**
     * Runs the handshake to its end. On failure the engine's alert is sent
     * and the socket closed, as a server does, and the engine's exception
     * is thrown.
     */
    void handshake() throws IOException {
        try {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                status = switch (status) {
                    case NEED_WRAP -> wrap(NOTHING).getHandshakeStatus();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap().getHandshakeStatus();
                    case NEED_TASK -> {
                        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                            task.run();
                        }
                        yield engine.getHandshakeStatus();
                    }
                    default -> throw new IllegalStateException(status.toString());
                };
            }
        } catch (SSLException e) {
            sendAlert();
            close();
            throw e;
        }
    }

    void send(String text) throws IOException {
        ByteBuffer app = ByteBuffer.wrap(text.getBytes(US_ASCII));
        while (app.hasRemaining()) {
            wrap(app);
        }
    }

    /** Reads application data until {@code length} bytes have come. */
    String receive(int length) throws IOException {
        while (appIn.position() < length) {
            unwrap();
        }
        appIn.flip();
        byte[] bytes = new byte[length];
        appIn.get(bytes);
        appIn.compact();
        return new String(bytes, US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void sendAlert() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                wrap(NOTHING);
            }
        } catch (IOException e) {
            // the peer may be gone already; the alert is a courtesy
        }
    }

    private SSLEngineResult wrap(ByteBuffer app) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(app, netOut);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            out.write(netOut.array(), 0, netOut.position());
            out.flush();
            return result;
        }
    }

    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    return result;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (netIn.remaining() < engine.getSession().getPacketBufferSize()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    int read = in.read(chunk, 0, Math.min(chunk.length, netIn.remaining()));
                    if (read < 0) {
                        engine.closeInbound(); // throws, as the peer left mid-record or without close_notify
                        throw new EOFException("the client closed the connection");
                    }
                    netIn.put(chunk, 0, read);
                }
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int more) {
        ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() + more);
        buffer.flip();
        return bigger.put(buffer);
    }
}
