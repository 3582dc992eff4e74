package io.tailsrv.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A one-file FUSE file system, spoken to the kernel directly through
 * {@code /dev/fuse} (no libfuse, no fusermount: root mounts it with mount(2)),
 * whose file reads fine up to {@link #GOOD_BYTES} and fails with EIO past
 * that: a disk that goes bad under a served file.
 *
 * <p>Only what serving a file needs is answered: LOOKUP, GETATTR, OPEN, READ,
 * FLUSH, RELEASE; everything else gets ENOSYS.
 */
final class FailingFuse implements AutoCloseable {

    static final String FILE_NAME = "bad.log";
    static final int SIZE = 1 << 20;
    /** Reads of bytes before this succeed; a read that touches any byte at or after it fails. */
    static final int GOOD_BYTES = 64 << 10;

    private static final int EIO = 5;
    private static final int ENOENT = 2;
    private static final int ENOSYS = 38;
    private static final int ENODEV = 19;
    private static final int O_RDWR = 2;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final int MNT_DETACH = 2;

    private static final int LOOKUP = 1;
    private static final int FORGET = 2;
    private static final int GETATTR = 3;
    private static final int OPEN = 14;
    private static final int READ = 15;
    private static final int RELEASE = 18;
    private static final int FLUSH = 25;
    private static final int INIT = 26;
    private static final int INTERRUPT = 36;
    private static final int DESTROY = 38;
    private static final int BATCH_FORGET = 42;

    private static final long ROOT = 1;
    private static final long FILE = 2;

    /** The C library calls a FUSE server makes. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        int mount(String source, String target, String type, long flags, String data);

        int umount2(String target, int flags);
    }

    private final Path mountPoint;
    private final int fd;
    private final Thread thread;
    private volatile int readsFailed;
    private volatile int readsServed;

    private FailingFuse(Path mountPoint, int fd) {
        this.mountPoint = mountPoint;
        this.fd = fd;
        this.thread = new Thread(this::serve, "failing-fuse");
        thread.setDaemon(true);
    }

    /**
     * Mounts the file system on {@code mountPoint} (an empty directory).
     *
     * @throws IOException saying what is missing if this machine cannot (no
     *         /dev/fuse, not root, mount refused)
     */
    static FailingFuse mount(Path mountPoint) throws IOException {
        int fd = LibC.INSTANCE.open("/dev/fuse", O_RDWR);
        if (fd < 0) {
            throw new IOException("cannot open /dev/fuse (errno " + Native.getLastError() + ")");
        }
        FailingFuse fuse = new FailingFuse(mountPoint, fd);
        String options = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0,allow_other";
        if (LibC.INSTANCE.mount("tailsrv-failing", mountPoint.toString(), "fuse", MS_NOSUID | MS_NODEV, options) != 0) {
            int errno = Native.getLastError();
            LibC.INSTANCE.close(fd);
            throw new IOException("mount(2) of a FUSE file system refused (errno " + errno + ")");
        }
        fuse.thread.start(); // the kernel queues INIT at mount; reading /dev/fuse before that fails
        return fuse;
    }

    Path file() {
        return mountPoint.resolve(FILE_NAME);
    }

    /** The byte at {@code offset} of the file: a repeating, recognisable pattern. */
    static byte byteAt(long offset) {
        return (byte) ('a' + offset % 26);
    }

    int readsFailed() {
        return readsFailed;
    }

    int readsServed() {
        return readsServed;
    }

    @Override
    public void close() throws InterruptedException {
        LibC.INSTANCE.umount2(mountPoint.toString(), MNT_DETACH);
        thread.join(5_000);
        LibC.INSTANCE.close(fd);
    }

    private void serve() {
        byte[] in = new byte[(1 << 20) + 4096];
        while (true) {
            long n = LibC.INSTANCE.read(fd, in, in.length);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == ENODEV) {
                    return; // unmounted
                }
                if (errno == 4 || errno == ENOENT) {
                    continue; // EINTR; ENOENT: a request interrupted before it was read
                }
                return;
            }
            ByteBuffer request = ByteBuffer.wrap(in, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN);
            int opcode = request.getInt(4);
            long unique = request.getLong(8);
            long node = request.getLong(16);
            ByteBuffer body = request.position(40).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (opcode) {
                case INIT -> reply(unique, 0, init(body));
                case LOOKUP -> lookup(unique, node, body);
                case GETATTR -> reply(unique, 0, attrOut(node));
                case OPEN -> reply(unique, 0, openOut());
                case READ -> read(unique, body);
                case FLUSH, RELEASE -> reply(unique, 0, new byte[0]);
                case FORGET, BATCH_FORGET, INTERRUPT -> { } // no reply expected
                case DESTROY -> {
                    reply(unique, 0, new byte[0]);
                    return;
                }
                default -> reply(unique, -ENOSYS, new byte[0]);
            }
        }
    }

    private static byte[] init(ByteBuffer in) {
        int minor = in.getInt(4);
        ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(7);
        out.putInt(Math.min(minor, 38));
        out.putInt(128 << 10); // max_readahead
        out.putInt(0); // flags
        out.putShort((short) 16); // max_background
        out.putShort((short) 12); // congestion_threshold
        out.putInt(128 << 10); // max_write
        out.putInt(1); // time_gran
        return out.array();
    }

    private void lookup(long unique, long parent, ByteBuffer body) {
        byte[] raw = new byte[body.remaining()];
        body.get(raw);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        String name = new String(raw, 0, end, StandardCharsets.UTF_8);
        if (parent != ROOT || !name.equals(FILE_NAME)) {
            reply(unique, -ENOENT, new byte[0]);
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(40 + 88).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(FILE); // nodeid
        out.putLong(1); // generation
        out.putLong(3600); // entry_valid
        out.putLong(3600); // attr_valid
        out.putInt(0).putInt(0);
        putAttr(out, FILE);
        reply(unique, 0, out.array());
    }

    private static byte[] attrOut(long node) {
        ByteBuffer out = ByteBuffer.allocate(16 + 88).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(3600); // attr_valid
        out.putInt(0).putInt(0);
        putAttr(out, node);
        return out.array();
    }

    private static void putAttr(ByteBuffer out, long node) {
        boolean root = node == ROOT;
        out.putLong(node); // ino
        out.putLong(root ? 0 : SIZE); // size
        out.putLong(root ? 0 : SIZE / 512); // blocks
        out.putLong(0).putLong(0).putLong(0); // atime, mtime, ctime
        out.putInt(0).putInt(0).putInt(0);
        out.putInt(root ? 0040755 : 0100644); // mode
        out.putInt(root ? 2 : 1); // nlink
        out.putInt(0).putInt(0); // uid, gid
        out.putInt(0); // rdev
        out.putInt(4096); // blksize
        out.putInt(0); // flags
    }

    private static byte[] openOut() {
        return new byte[16]; // fh 0, no open flags: reads go through the page cache, as sendfile needs
    }

    private void read(long unique, ByteBuffer body) {
        long offset = body.getLong(8);
        int size = body.getInt(16);
        long end = Math.min(SIZE, offset + size);
        if (end > GOOD_BYTES) {
            readsFailed++;
            reply(unique, -EIO, new byte[0]);
            return;
        }
        byte[] data = new byte[(int) Math.max(0, end - offset)];
        for (int i = 0; i < data.length; i++) {
            data[i] = byteAt(offset + i);
        }
        readsServed++;
        reply(unique, 0, data);
    }

    private void reply(long unique, int error, byte[] body) {
        byte[] out = new byte[16 + body.length];
        ByteBuffer header = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(out.length).putInt(error).putLong(unique);
        System.arraycopy(body, 0, out, 16, body.length);
        LibC.INSTANCE.write(fd, out, out.length);
    }
}
