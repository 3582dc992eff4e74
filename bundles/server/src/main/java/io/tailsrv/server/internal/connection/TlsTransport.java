package io.tailsrv.server.internal.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import io.tailsrv.server.internal.loop.BufferPool;
import io.tailsrv.server.internal.loop.IoLoop;

/**
 * TLS over a non-blocking socket, with the JDK's {@link SSLEngine}: the
 * handshake ({@link #handshake}), then records decrypted on the way in and
 * encrypted on the way out.
 *
 * <p>Its three buffers (encrypted bytes in, decrypted bytes not yet read,
 * encrypted bytes not yet written) come from its loop's {@link BufferPool}s
 * when there is something to hold and go back as soon as they are empty:
 * an idle TLS client holds none, only its engine's state. Outgoing records
 * are gathered, up to four, into one write.
 */
public final class TlsTransport implements Transport {

    /** Where a handshake stands after {@link #handshake}. */
    public enum Progress {
        /** Done: application bytes may flow (some may be waiting already: read them). */
        DONE,
        /** Waiting for the peer's bytes: select for reading. */
        NEEDS_READ,
        /** Bytes are waiting for the socket to drain: select for writing. */
        NEEDS_WRITE
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketChannel socket;
    private final BufferPool pool;
    private final BufferPool outPool;
    private ByteBuffer netIn;  // encrypted, from the socket, not yet unwrapped; written from position
    private ByteBuffer appIn;  // decrypted, not yet read; read from position
    private ByteBuffer netOut; // encrypted, not yet written; read from position
    private boolean inboundDone;
    private boolean begun;
    private boolean handshaken;

    /**
     * @param pool buffers of one record, for bytes coming in
     * @param outPool buffers of several records, for bytes going out
     */
    public TlsTransport(SSLEngine engine, SocketChannel socket, BufferPool pool, BufferPool outPool) {
        this.engine = engine;
        this.socket = socket;
        this.pool = pool;
        this.outPool = outPool;
    }

    public SSLEngine engine() {
        return engine;
    }

    /**
     * Takes bytes the handshake stage already read from the socket (the
     * ClientHello's first bytes), as if read now.
     */
    public void received(ByteBuffer bytes) {
        netIn = pool.acquire();
        netIn.put(bytes);
    }

    /**
     * Moves the handshake on as far as the socket allows. Delegated tasks
     * (key exchange, signatures) run here, on the loop: a millisecond or so
     * per handshake.
     *
     * @throws IOException the handshake failed (an {@link SSLException} says why), or the socket did
     */
    public Progress handshake() throws IOException {
        if (!begun) {
            begun = true;
            engine.beginHandshake(); // else a new engine says NOT_HANDSHAKING until it has unwrapped something
        }
        while (true) {
            if (!flush()) {
                return Progress.NEEDS_WRITE;
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapForHandshake()) {
                        return Progress.NEEDS_READ;
                    }
                }
                default -> {
                    handshaken = true;
                    return Progress.DONE;
                }
            }
        }
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        while (true) {
            int n = drainAppIn(into);
            if (n > 0) {
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            if (netIn != null) {
                SSLEngineResult result = unwrap();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    // The peer's close_notify: answered with ours, which clients such as Java's SSLSocket wait
                    // for before they close (TLS 1.3 would let the peer read on; few clients do, and none
                    // that sends close_notify expects to).
                    inboundDone = true;
                    answerCloseNotify();
                    continue;
                }
                refuseRenegotiation(result);
                if (result.getStatus() == SSLEngineResult.Status.OK
                        && (result.bytesConsumed() > 0 || result.bytesProduced() > 0)) {
                    continue;
                }
            }
            int got = fill();
            if (got < 0) {
                closeInbound();
                continue;
            }
            if (got == 0) {
                return 0; // a record is not all here yet
            }
        }
    }

    /** Encrypts as much of {@code from} as fits the out buffer (four records), and writes it. */
    @Override
    public int write(ByteBuffer from) throws IOException {
        if (!flush()) {
            return 0;
        }
        int before = from.remaining();
        while (from.hasRemaining() && (netOut == null || netOut.remaining() >= IoLoop.TLS_RECORD_BUFFER)) {
            wrap(from);
        }
        flush();
        return before - from.remaining();
    }

    @Override
    public boolean flush() throws IOException {
        if (netOut == null) {
            return true;
        }
        netOut.flip();
        socket.write(netOut);
        if (netOut.hasRemaining()) {
            netOut.compact();
            return false;
        }
        outPool.release(netOut);
        netOut = null;
        return true;
    }

    @Override
    public boolean pending() {
        return netOut != null;
    }

    @Override
    public boolean plain() {
        return false;
    }

    @Override
    public boolean canSendAfterEnd() {
        return !engine.isOutboundDone();
    }

    @Override
    public void release() {
        if (handshaken && !engine.isOutboundDone()) {
            engine.closeOutbound(); // close_notify: the peer can tell the end from a cut
            try {
                if (flush()) {
                    wrap(EMPTY);
                    flush();
                }
            } catch (IOException e) {
                // the socket is going: a goodbye that does not fit is no loss
            }
        }
        pool.release(netIn);
        pool.release(appIn);
        outPool.release(netOut);
        netIn = null;
        appIn = null;
        netOut = null;
    }

    // ---- internals ----

    /** Copies decrypted bytes into {@code into}; returns how many. */
    private int drainAppIn(ByteBuffer into) {
        if (appIn == null) {
            return 0;
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), into.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        into.put(slice);
        appIn.position(appIn.position() + n);
        if (appIn.hasRemaining()) {
            appIn.compact();
        } else {
            pool.release(appIn);
            appIn = null;
        }
        return n;
    }

    /** Reads from the socket into netIn: bytes read, 0 if none, -1 at its end. */
    private int fill() throws IOException {
        if (netIn == null) {
            netIn = pool.acquire();
        }
        int n = socket.read(netIn);
        if (netIn.position() == 0) {
            pool.release(netIn);
            netIn = null;
        }
        return n;
    }

    /** Unwraps what netIn holds into appIn. */
    private SSLEngineResult unwrap() throws SSLException {
        if (netIn == null) {
            return new SSLEngineResult(SSLEngineResult.Status.BUFFER_UNDERFLOW, engine.getHandshakeStatus(), 0, 0);
        }
        if (appIn == null) {
            appIn = pool.acquire();
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
            if (netIn.position() == 0) {
                pool.release(netIn);
                netIn = null;
            }
            if (appIn.position() == 0) {
                pool.release(appIn);
                appIn = null;
            }
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a record larger than the engine's application buffer");
        }
        return result;
    }

    /** One step of the handshake's reading; false if the peer's next bytes have not arrived. */
    private boolean unwrapForHandshake() throws IOException {
        SSLEngineResult result = unwrap();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the peer closed the connection during the handshake");
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            int n = fill();
            if (n < 0) {
                throw new SSLException("the peer closed the connection during the handshake");
            }
            return n > 0;
        }
        return true;
    }

    private void wrap(ByteBuffer from) throws SSLException {
        if (netOut == null) {
            netOut = outPool.acquire();
        }
        SSLEngineResult result = engine.wrap(from, netOut);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a record larger than the engine's packet buffer");
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && from.hasRemaining()) {
            throw new SSLException("the TLS session is closed");
        }
        if (netOut.position() == 0) {
            outPool.release(netOut);
            netOut = null;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * After the first handshake, only TLS 1.3's own messages (key updates,
     * answered by a wrap) may come; a TLS 1.2 client asking to handshake
     * again is refused: renegotiation is off.
     */
    private void refuseRenegotiation(SSLEngineResult result) throws IOException {
        HandshakeStatus status = result.getHandshakeStatus();
        if (!handshaken || status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw new SSLException("renegotiation refused");
        }
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            wrap(EMPTY);
            flush();
        }
    }

    private void answerCloseNotify() throws IOException {
        engine.closeOutbound();
        if (flush()) {
            wrap(EMPTY);
            flush(); // what the socket does not take now is lost with the connection, and no loss
        }
    }

    private void closeInbound() {
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // the peer's socket ended without close_notify: a truncation, and the end either way
        }
    }
}
