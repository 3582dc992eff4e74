package io.tailsrv.systemd.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The libc calls sd_notify needs (Java has no Unix datagram socket), bound
 * with JNA direct mapping. Constants are those of the generic Linux ABI.
 */
final class LibC {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 02000000;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol);

    static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

    static native int close(int fd);

    static native String strerror(int errnum);
}
