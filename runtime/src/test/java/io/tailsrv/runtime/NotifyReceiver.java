package io.tailsrv.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * What systemd's side of sd_notify sees: a Unix datagram socket, bound at a
 * path or an abstract {@code @name}, that records every notification with the
 * moment it arrived. Java has no Unix datagram socket, hence JNA.
 */
final class NotifyReceiver implements AutoCloseable {

    /** One datagram: one or more {@code KEY=value} lines. */
    record Notification(String text, long receivedNanos) {
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    static {
        Native.register(NotifyReceiver.class, Platform.C_LIBRARY_NAME);
    }

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, byte[] address, int length);

    private static native int setsockopt(int fd, int level, int name, byte[] value, int length);

    private static native NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

    private static native int close(int fd);

    private final String name;
    private final int fd;
    private final List<Notification> received = new ArrayList<>(); // guarded by this
    private final Thread reader;
    private volatile boolean closed;

    /** Binds {@code name}: an absolute path, or {@code @} and a name in the abstract namespace. */
    NotifyReceiver(String name) {
        this.name = name;
        fd = socket(AF_UNIX, SOCK_DGRAM, 0);
        byte[] address = address(name);
        if (fd < 0 || bind(fd, address, address.length) != 0) {
            throw new IllegalStateException("cannot bind a datagram socket at " + name + ": errno " + Native.getLastError());
        }
        // struct timeval of 100 ms, so that the reader sees close() soon
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(100_000).array();
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length);
        reader = new Thread(this::read, "notify-receiver");
        reader.setDaemon(true);
        reader.start();
    }

    /** What to put in NOTIFY_SOCKET. */
    String name() {
        return name;
    }

    /**
     * Waits for a notification received after {@code afterNanos} (a
     * {@link System#nanoTime()}) that has a line matching {@code regex}.
     */
    synchronized Notification await(String regex, long afterNanos, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Notification notification : received) {
                if (notification.receivedNanos() - afterNanos > 0 && pattern.matcher(notification.text()).find()) {
                    return notification;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no notification matching /" + regex + "/ within " + timeout
                        + "; received: " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits for a notification matching {@code regex}, received at any time. */
    Notification await(String regex, Duration timeout) throws InterruptedException {
        return await(regex, Long.MIN_VALUE / 2, timeout);
    }

    synchronized List<Notification> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join();
        close(fd);
    }

    private void read() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            long n = recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
            long now = System.nanoTime();
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == EAGAIN || errno == EINTR) {
                    continue;
                }
                throw new IllegalStateException("recv on " + name + ": errno " + errno);
            }
            String text = new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
            synchronized (this) {
                received.add(new Notification(text, now));
                notifyAll();
            }
        }
    }

    private static byte[] address(String name) {
        boolean abstractName = name.startsWith("@");
        byte[] path = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        ByteBuffer address = ByteBuffer.allocate(2 + path.length + 1).order(ByteOrder.nativeOrder())
                .putShort((short) AF_UNIX);
        if (abstractName) {
            address.put((byte) 0).put(path);
        } else {
            address.put(path).put((byte) 0);
        }
        return address.array();
    }
}
