package io.tailsrv.filewatch.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the watch needs, bound with JNA direct mapping: no proxy and
 * no reflection per call, which matters on the inotify thread's hot path.
 *
 * <p>Flag and errno values are those of the generic Linux ABI (x86, x86-64,
 * arm, aarch64, riscv64, s390x, ppc64le), the platforms JNA ships for.
 * Failures are reported through errno, read with {@link Native#getLastError()}
 * right after the call.
 */
final class LibC {

    static final int O_RDONLY = 0;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int IN_NONBLOCK = O_NONBLOCK;
    static final int IN_CLOEXEC = O_CLOEXEC;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    static final int IN_MODIFY = 0x2;
    static final int IN_ATTRIB = 0x4;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONLYDIR = 0x01000000;

    static final short POLLIN = 0x1;

    static final int AT_EMPTY_PATH = 0x1000;
    static final int STATX_TYPE = 0x1;
    static final int STATX_NLINK = 0x4;
    static final int STATX_SIZE = 0x200;

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;

    /**
     * How the JDK encodes file names for the kernel; paths are passed to
     * libc as bytes in this charset, and names read back from inotify are
     * decoded with it, so that they compare equal to {@link Path} names.
     */
    static final Charset FILE_NAMES = fileNameCharset();

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int inotify_init1(int flags);

    static native int inotify_add_watch(int fd, byte[] path, int mask);

    static native int inotify_rm_watch(int fd, int wd);

    static native int eventfd(int initval, int flags);

    static native int poll(Pointer fds, NativeLong nfds, int timeout);

    static native NativeLong read(int fd, Pointer buf, NativeLong count);

    static native NativeLong write(int fd, Pointer buf, NativeLong count);

    /** open(2) is variadic, but its third argument is only read with O_CREAT or O_TMPFILE. */
    static native int open(byte[] path, int flags);

    static native int close(int fd);

    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] statxbuf);

    static native String strerror(int errnum);

    /** {@code path} as a NUL-terminated C string. */
    static byte[] cString(String path) {
        byte[] bytes = path.getBytes(FILE_NAMES);
        byte[] c = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, c, 0, bytes.length);
        return c;
    }

    /** errno as the call just made on this thread left it. */
    static int errno() {
        return Native.getLastError();
    }

    /** The failure of the call just made, as "what: strerror text". */
    static ErrnoException lastError(String what) {
        return error(errno(), what);
    }

    static ErrnoException error(int errno, String what) {
        return new ErrnoException(errno, what + ": " + strerror(errno));
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        return name != null && Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.UTF_8;
    }
}
