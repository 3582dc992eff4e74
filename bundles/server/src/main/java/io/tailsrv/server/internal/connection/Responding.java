package io.tailsrv.server.internal.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * The last stage of a connection that gets a fixed answer (an HTTP error,
 * the viewer page, a HEAD's headers): the bytes go out as the socket takes
 * them, then the connection closes. What the client sends meanwhile is
 * read and dropped.
 */
public final class Responding implements Connection.Stage {

    private final Connection connection;
    private final ByteBuffer[] parts;
    private final Runnable done;

    /**
     * @param done runs when the connection closes, whichever way: logs what
     *        was answered
     */
    private Responding(Connection connection, ByteBuffer[] parts, Runnable done) {
        this.connection = connection;
        this.parts = parts;
        this.done = done;
    }

    /** Sends {@code parts} on {@code connection}, then closes it; {@code done} runs then. */
    public static void answer(Connection connection, Runnable done, ByteBuffer... parts) {
        Responding responding = new Responding(connection, parts, done);
        connection.enter(responding);
        responding.writable();
    }

    @Override
    public void readable() {
        ByteBuffer drop = connection.loop().scratch();
        try {
            drop.clear();
            if (connection.read(drop) < 0) {
                connection.interest(connection.interest() & ~SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            connection.close(null);
        }
    }

    @Override
    public void writable() {
        try {
            for (ByteBuffer part : parts) {
                while (part.hasRemaining()) {
                    if (connection.write(part) == 0) {
                        connection.interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                }
            }
            if (!connection.transport().flush()) {
                connection.interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        } catch (IOException e) {
            // the client went before the answer did: it is closed all the same
        }
        connection.close(null);
    }

    @Override
    public void closed(String why) {
        done.run();
    }
}
