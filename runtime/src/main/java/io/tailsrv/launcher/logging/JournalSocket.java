package io.tailsrv.launcher.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A datagram socket to journald. An entry goes as one datagram; one too large
 * for a datagram goes as journald's protocol prescribes: written to a memfd,
 * sealed so that it can no longer change, and the descriptor passed over the
 * socket (SCM_RIGHTS) with an empty payload. Not thread-safe.
 */
final class JournalSocket implements AutoCloseable {

    static final String PATH = "/run/systemd/journal/socket";

    private static final int SEALS = LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_WRITE | LibC.F_SEAL_SEAL;

    private final String path;
    private final byte[] address;
    private final int fd;

    private JournalSocket(String path, byte[] address, int fd) {
        this.path = path;
        this.address = address;
        this.fd = fd;
    }

    static JournalSocket open(String path) throws IOException {
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw error("socket", Native.getLastError());
        }
        return new JournalSocket(path, address(path), fd);
    }

    void send(byte[] entry) throws IOException {
        while (true) {
            long sent = LibC.sendto(fd, entry, new NativeLong(entry.length), 0, address, address.length).longValue();
            if (sent >= 0) {
                return;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EMSGSIZE || errno == LibC.ENOBUFS) {
                sendThroughMemfd(entry);
                return;
            }
            if (errno != LibC.EINTR) {
                throw error("sendto " + path, errno);
            }
        }
    }

    @Override
    public void close() {
        LibC.close(fd);
    }

    private void sendThroughMemfd(byte[] entry) throws IOException {
        int memfd = LibC.memfd_create("tailsrv-journal-entry", LibC.MFD_CLOEXEC | LibC.MFD_ALLOW_SEALING);
        if (memfd < 0) {
            throw error("memfd_create", Native.getLastError());
        }
        try {
            writeFully(memfd, entry);
            if (LibC.fcntl(memfd, LibC.F_ADD_SEALS, SEALS) < 0) {
                throw error("sealing the memfd", Native.getLastError());
            }
            sendDescriptor(memfd);
        } finally {
            LibC.close(memfd);
        }
    }

    private static void writeFully(int memfd, byte[] entry) throws IOException {
        try (Memory data = new Memory(entry.length)) {
            data.write(0, entry, 0, entry.length);
            long written = 0;
            while (written < entry.length) {
                long n = LibC.write(memfd, data.share(written), new NativeLong(entry.length - written)).longValue();
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == LibC.EINTR) {
                        continue;
                    }
                    throw error("writing the memfd", errno);
                }
                written += n;
            }
        }
    }

    /** sendmsg(2) with no payload and {@code descriptor} in an SCM_RIGHTS control message. */
    private void sendDescriptor(int descriptor) throws IOException {
        int pointer = Native.POINTER_SIZE;
        int sizeT = Native.SIZE_T_SIZE;
        // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the data, aligned to size_t
        int cmsgData = align(sizeT + 2 * Integer.BYTES, sizeT);
        int cmsgSpace = cmsgData + align(Integer.BYTES, sizeT);
        // struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen;
        //                 void *control; size_t controllen; int flags; }
        int iovAt = align(pointer + Integer.BYTES, pointer);
        int iovlenAt = iovAt + pointer;
        int controlAt = iovlenAt + sizeT;
        int controllenAt = controlAt + pointer;
        int flagsAt = controllenAt + sizeT;
        try (Memory name = new Memory(address.length);
                Memory control = new Memory(cmsgSpace);
                Memory message = new Memory(align(flagsAt + Integer.BYTES, pointer))) {
            name.write(0, address, 0, address.length);
            control.clear();
            control.setNativeLong(0, new NativeLong(cmsgData + Integer.BYTES));
            control.setInt(sizeT, LibC.SOL_SOCKET);
            control.setInt(sizeT + Integer.BYTES, LibC.SCM_RIGHTS);
            control.setInt(cmsgData, descriptor);
            message.clear();
            message.setPointer(0, name);
            message.setInt(pointer, address.length);
            message.setPointer(iovAt, Pointer.NULL);
            message.setNativeLong(iovlenAt, new NativeLong(0));
            message.setPointer(controlAt, control);
            message.setNativeLong(controllenAt, new NativeLong(cmsgSpace));
            while (LibC.sendmsg(fd, message, 0).longValue() < 0) {
                int errno = Native.getLastError();
                if (errno != LibC.EINTR) {
                    throw error("sendmsg " + path, errno);
                }
            }
        }
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** A {@code struct sockaddr_un} for a file system path, with its terminating NUL. */
    private static byte[] address(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + bytes.length + 1).order(ByteOrder.nativeOrder())
                .putShort((short) LibC.AF_UNIX).put(bytes).put((byte) 0).array();
    }

    private static IOException error(String what, int errno) {
        return new IOException(what + ": " + LibC.strerror(errno));
    }
}
