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
}
