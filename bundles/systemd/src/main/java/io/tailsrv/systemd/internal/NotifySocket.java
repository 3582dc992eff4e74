package io.tailsrv.systemd.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The sd_notify protocol's transport: one datagram per notification, such as
 * {@code READY=1}, to the Unix socket that $NOTIFY_SOCKET names. Sends are
 * serialised with closing, so that no send ever uses a descriptor number
 * closed (and perhaps reused) under it.
 */
final class NotifySocket {

    static final String VARIABLE = "NOTIFY_SOCKET";

    private static final Logger LOG = LoggerFactory.getLogger(NotifySocket.class);

    private final String name;
    private final byte[] address;
    private int fd; // guarded by this; -1 once closed
    private boolean failedBefore; // guarded by this

    private NotifySocket(String name, byte[] address, int fd) {
        this.name = name;
        this.address = address;
        this.fd = fd;
    }

    /**
     * The socket $NOTIFY_SOCKET names; empty when it is not set (tailsrv was
     * not started by systemd as a {@code Type=notify} service) or cannot be used.
     */
    static Optional<NotifySocket> fromEnvironment(Map<String, String> environment) {
        String name = environment.get(VARIABLE);
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        byte[] address;
        try {
            address = UnixAddress.of(name);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}={}: {}; not notifying systemd", VARIABLE, name, e.getMessage());
            return Optional.empty();
        }
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            LOG.warn("cannot open a socket to notify systemd: {}", LibC.strerror(Native.getLastError()));
            return Optional.empty();
        }
        return Optional.of(new NotifySocket(name, address, fd));
    }

    String name() {
        return name;
    }

    /**
     * Sends {@code message} (one or more {@code KEY=value} lines). A failure is
     * logged once; systemd only loses a notification, and the service goes on.
     */
    synchronized void send(String message) {
        if (fd < 0) {
            return;
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        long sent = LibC.sendto(fd, bytes, new NativeLong(bytes.length), 0, address, address.length).longValue();
        if (sent < 0 && !failedBefore) {
            failedBefore = true;
            LOG.warn("cannot notify systemd at {}: {}", name, LibC.strerror(Native.getLastError()));
        }
    }

    synchronized void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
