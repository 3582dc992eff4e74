package io.tailsrv.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * One client's TLS session, with the JDK's {@code SSLEngine} over its
 * channel: the handshake while the channel still blocks (before a clock
 * starts), then reads that never block, for the selector loop. Decrypted
 * bytes wait in a buffer of their own, big enough for every record the
 * ciphertext buffer can hold, so that a read either hands out what it
 * decrypted or leaves only an incomplete record behind, whose rest the
 * selector announces. Public for the runtime's tests, whose soak test
 * drives its TLS clients the same way.
 */
public final class TlsSession {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer plain;
    private boolean closed;

    private TlsSession(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(2 * packet);
        this.netOut = ByteBuffer.allocateDirect(packet);
        this.plain = ByteBuffer.allocateDirect(2 * engine.getSession().getApplicationBufferSize()).flip();
    }

    /**
     * The context clients verify the server with: the CAs in {@code caPem}
     * (a private CA's), or else the JDK's own, as for any public site. The
     * server's name is checked too, as HTTPS does.
     */
    static SSLContext context(Optional<Path> caPem) throws IOException, BenchFailure {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caPem.isEmpty()) {
                trust.init((KeyStore) null);
            } else {
                KeyStore authorities = KeyStore.getInstance("PKCS12");
                authorities.load(null, null);
                try (InputStream in = Files.newInputStream(caPem.get())) {
                    int i = 0;
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        authorities.setCertificateEntry("ca" + i++, certificate);
                    }
                    if (i == 0) {
                        throw new BenchFailure("--tls-ca " + caPem.get() + ": no certificate in it");
                    }
                }
                trust.init(authorities);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new BenchFailure("--tls-ca " + caPem.map(Path::toString).orElse("") + ": " + e.getMessage());
        }
    }

    /**
     * Completes a TLS handshake over {@code blocking}, a connected channel
     * still in blocking mode, with the server {@code host} (whose certificate
     * must name it) on {@code port}.
     */
    public static TlsSession handshake(SocketChannel blocking, SSLContext context, String host, int port)
            throws IOException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        TlsSession session = new TlsSession(blocking, engine);
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
                case NEED_WRAP -> status = session.wrap(NOTHING).getHandshakeStatus();
                case NEED_TASK -> status = session.runTasks();
                default -> status = session.unwrapBlocking();
            }
        }
        return session;
    }

    /** Encrypts and sends {@code bytes}; false if the socket did not take them all at once. */
    public boolean write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            wrap(bytes);
            if (netOut.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decrypted bytes into {@code dst}: what is waiting, or else what the
     * socket has now. 0 if nothing whole has arrived; -1 at the end of the
     * stream (the server's close_notify, or its end of TCP).
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!plain.hasRemaining() && !closed) {
            fill();
        }
        if (plain.hasRemaining()) {
            int n = Math.min(plain.remaining(), dst.remaining());
            ByteBuffer slice = plain.slice().limit(n);
            dst.put(slice);
            plain.position(plain.position() + n);
            return n;
        }
        return closed ? -1 : 0;
    }

    /** Sends a close_notify, as a client that closes politely does, if the socket takes it now. */
    public void closeNotify() throws IOException {
        engine.closeOutbound();
        wrap(NOTHING);
    }

    /** Reads the socket and decrypts every whole record into {@link #plain}, which is empty. */
    private void fill() throws IOException {
        boolean end = channel.read(netIn) < 0;
        plain.clear();
        netIn.flip();
        try {
            while (netIn.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(netIn, plain);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break; // an incomplete record: its rest is on its way
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
        } finally {
            netIn.compact();
            plain.flip();
        }
        closed |= end && !plain.hasRemaining();
    }

    private HandshakeStatus unwrapBlocking() throws IOException {
        plain.clear();
        netIn.flip();
        SSLEngineResult result = engine.unwrap(netIn, plain);
        netIn.compact();
        plain.flip();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && channel.read(netIn) < 0) {
            throw new EOFException("the server closed the connection during the TLS handshake");
        }
        return result.getHandshakeStatus();
    }

    private SSLEngineResult wrap(ByteBuffer bytes) throws IOException {
        netOut.clear();
        SSLEngineResult result = engine.wrap(bytes, netOut);
        netOut.flip();
        channel.write(netOut);
        while (netOut.hasRemaining() && channel.isBlocking()) {
            channel.write(netOut);
        }
        return result;
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }
}
