package io.tailsrv.server.internal.handshake;

import io.tailsrv.server.internal.config.InstanceContext;
import io.tailsrv.server.internal.connection.Connection;

/**
 * Where a connection goes around its handshake: the instance's clients on
 * the connection's I/O loop, which keep every connection (to close them all
 * when the instance stops) and take over those that finish their handshake.
 * Called on that loop.
 */
public interface Handoff {

    /** The connection begins its handshake; false if the instance is stopping and it must close. */
    boolean joined(Connection connection);

    /** The connection closed before it finished its handshake. */
    void left(Connection connection);

    /** A connection was refused (or evicted) during its handshake, for {@code reason} (see InstanceCounters). */
    void refused(String reason);

    /** The connection asked for a stream: from now on it is the streaming stage's. */
    void handshakeDone(Connection connection, InstanceContext context, StreamRequest request);
}
