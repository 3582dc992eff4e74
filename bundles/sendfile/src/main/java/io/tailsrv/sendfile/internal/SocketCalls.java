package io.tailsrv.sendfile.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/** The libc calls made on sockets, bound with JNA direct mapping (no proxy, no reflection per call). */
final class SocketCalls {

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
}
