package io.tailsrv.launcher.logging;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the journal's protocol needs (Java has neither Unix datagram
 * sockets nor memfds), bound with JNA direct mapping. Constants are those of
 * the generic Linux ABI (x86-64, aarch64, ...).
 */
final class LibC {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;

    static final int MFD_CLOEXEC = 0x1;
    static final int MFD_ALLOW_SEALING = 0x2;
    static final int F_ADD_SEALS = 1033;
    static final int F_SEAL_SEAL = 0x1;
    static final int F_SEAL_SHRINK = 0x2;
    static final int F_SEAL_GROW = 0x4;
    static final int F_SEAL_WRITE = 0x8;

    static final int EINTR = 4;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol);

    static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

    static native NativeLong sendmsg(int fd, Pointer msghdr, int flags);

    static native int memfd_create(String name, int flags);

    static native NativeLong write(int fd, Pointer buf, NativeLong count);

    /** fcntl(2) is variadic; F_ADD_SEALS takes one int. */
    static native int fcntl(int fd, int cmd, int arg);

    static native int close(int fd);

    static native String strerror(int errnum);
}
