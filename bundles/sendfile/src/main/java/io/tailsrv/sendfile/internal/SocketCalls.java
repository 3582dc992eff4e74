package io.tailsrv.sendfile.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The libc calls made on sockets, bound with JNA direct mapping (no proxy,
 * no reflection per call). Values are those of the generic Linux ABI, the
 * platforms JNA ships for; errno is read with {@link Native#getLastError()}
 * right after a call.
 */
final class SocketCalls {

    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int EINVAL = 22;
    static final int EBADF = 9;
    static final int ENOSYS = 38;

    static final int IPPROTO_TCP = 6;
    static final int TCP_CORK = 3;

    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static {
        Native.register(SocketCalls.class, Platform.C_LIBRARY_NAME);
    }

    private SocketCalls() {
    }

    /** {@code fds} holds {@code struct pollfd}s: int fd, short events, short revents, in native byte order. */
    static native int poll(byte[] fds, NativeLong nfds, int timeout);

    /**
     * Whether size_t and off_t are Java longs: on 64-bit Linux they are, and
     * {@link #sendfile} is declared with them so (no NativeLong to allocate
     * per call); elsewhere it is not called.
     */
    static final boolean LP64 = Native.LONG_SIZE == 8;

    /** {@code offset[0]} is where to read from, and is advanced by what was sent. */
    static native long sendfile(int outFd, int inFd, long[] offset, long count);

    /** {@code value} is one int: the option's value. */
    static native int setsockopt(int fd, int level, int name, int[] value, int length);

    static native String strerror(int errnum);
}
