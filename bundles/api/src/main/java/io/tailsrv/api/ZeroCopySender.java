package io.tailsrv.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Moves bytes from a file to a socket inside the kernel (sendfile(2)): file
 * data never enters the JVM heap or user space.
 */
@ProviderType
public interface ZeroCopySender {

    /**
     * Sends up to {@code count} bytes of {@code file}, starting at
     * {@code position}, to {@code socket}. On a non-blocking socket it sends
     * what the socket takes right now and returns at once.
     *
     * @return the number of bytes sent, 0 if the socket is full
     * @throws IOException if the socket is closed or reset, or the file
     *         cannot be read
     */
    long send(FileChannel file, long position, long count, SocketChannel socket) throws IOException;

    /**
     * Holds back a last, partial segment on {@code socket} while on (Linux's
     * TCP_CORK), so that a large backlog goes out in full segments; turning it
     * off sends what was held back at once. A sender that cannot do this
     * ignores it and returns false; nothing is lost but the speed.
     *
     * <p>Turn it on only for a backlog, and off as soon as the client has been
     * sent all there is: corked, the kernel holds the end of a stream up to
     * 200 ms.
     *
     * @return whether the socket is now as asked
     * @throws IOException if the socket is closed
     * @since 2.2
     */
    default boolean cork(SocketChannel socket, boolean on) throws IOException {
        return false;
    }
}
