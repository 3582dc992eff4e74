package io.tailsrv.api;

import java.nio.channels.SocketChannel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Asks the kernel whether a connection is broken, without reading or
 * writing a byte.
 *
 * <p>A client that closed gracefully (a FIN, then nothing) looks like one
 * that only half-closed its side, until the next send to it draws its
 * reset. Reading cannot tell the two apart: once a socket's input has
 * ended, reads report the end of stream, reset or not. The kernel's own
 * view of the socket can: after a reset it is closed, with an error pending.
 */
@ProviderType
public interface PeerProbe {

    /**
     * Whether the connection is closed by a reset or in error. False when it
     * is healthy, half-closed or not, and when this cannot be told (the
     * socket's descriptor is out of reach on this JVM): then the next send to
     * a gone peer fails, as it would without the probe.
     */
    boolean isBroken(SocketChannel socket);
}
