package io.tailsrv.sendfile.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

import io.tailsrv.api.ZeroCopySender;

/**
 * Sends with {@link FileChannel#transferTo}, which is sendfile(2) here: on
 * Linux, for a file channel into a socket channel, the JDK's
 * {@code FileChannelImpl.transferToDirectly} hands both descriptors to
 * sendfile, so the kernel copies page cache to socket and no file byte enters
 * user space. Only if the kernel refused that call (EINVAL, from a file
 * system that cannot splice) would the JDK fall back to mapping the file; for
 * regular files on the usual file systems it does not, as SendfileSyscallTest
 * shows under strace.
 *
 * <p>On a non-blocking socket sendfile moves what fits in the socket's send
 * buffer and the JDK turns EAGAIN into 0, so a full socket returns 0 at once.
 *
 * <p>{@link SendfileSender} makes the same call directly, and falls back on
 * this one where it cannot.
 */
final class TransferTo implements ZeroCopySender {

    /**
     * The most one sendfile(2) call moves on Linux (MAX_RW_COUNT), whatever it
     * is asked for; asking for no more makes that limit explicit rather than
     * left to the JDK's own clamp (to Integer.MAX_VALUE).
     */
    static final long MAX_BYTES_PER_CALL = 0x7ffff000L;

    /**
     * {@inheritDoc}
     *
     * <p>At most {@link #MAX_BYTES_PER_CALL} bytes per call, and never past the
     * file's current end: a {@code count} beyond it sends what there is, and a
     * {@code position} at or past it sends nothing and returns 0.
     *
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     */
    @Override
    public long send(FileChannel file, long position, long count, SocketChannel socket) throws IOException {
        return file.transferTo(position, Math.min(count, MAX_BYTES_PER_CALL), socket);
    }
}
