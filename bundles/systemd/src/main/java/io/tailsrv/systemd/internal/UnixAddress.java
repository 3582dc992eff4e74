package io.tailsrv.systemd.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct sockaddr_un} as $NOTIFY_SOCKET names it: a file system path
 * ({@code /run/systemd/notify}), or a name in Linux's abstract namespace
 * written with a leading {@code @}, which the address spells as a leading NUL
 * byte. An abstract name is exactly its bytes, so the address length stops
 * there; a path carries its terminating NUL.
 */
final class UnixAddress {

    /** {@code sizeof(sun_path)}. */
    static final int PATH_MAX = 108;
    private static final int FAMILY_BYTES = 2;

    private UnixAddress() {
    }

    /**
     * The address bytes, as long as the address length to pass with them.
     *
     * @throws IllegalArgumentException if {@code name} is neither an absolute
     *         path nor an {@code @name}, or is too long for sun_path
     */
    static byte[] of(String name) {
        boolean abstractName = name.startsWith("@");
        if (!abstractName && !name.startsWith("/")) {
            throw new IllegalArgumentException("neither an absolute path nor an @abstract name");
        }
        byte[] path = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        int pathBytes = path.length + 1; // the abstract name's leading NUL, or the path's trailing one
        if (pathBytes > PATH_MAX) {
            throw new IllegalArgumentException("longer than the " + (PATH_MAX - 1) + " bytes a socket address holds");
        }
        ByteBuffer address = ByteBuffer.allocate(FAMILY_BYTES + pathBytes).order(ByteOrder.nativeOrder());
        address.putShort((short) LibC.AF_UNIX);
        if (abstractName) {
            address.put((byte) 0).put(path);
        } else {
            address.put(path).put((byte) 0);
        }
        return address.array();
    }
}
