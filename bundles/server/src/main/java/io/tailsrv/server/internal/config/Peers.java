package io.tailsrv.server.internal.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** How peers appear in logs and in the console. */
public final class Peers {

    private Peers() {
    }

    /** {@code 127.0.0.1:5555} or {@code [::1]:5555}. */
    public static String format(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        InetAddress host = address.getAddress();
        if (host instanceof Inet6Address v6) {
            return "[" + compact(v6) + "]:" + address.getPort();
        }
        return host.getHostAddress() + ":" + address.getPort();
    }

    /**
     * The short form of an IPv6 address, without its zone ({@code ::1}, as in
     * RFC 5952): Java's own text never shortens a run of zero groups.
     */
    public static String compact(Inet6Address address) {
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // The longest run of two or more zero groups, the first of equals, becomes "::".
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > runLength) {
                runStart = i;
                runLength = end - i;
            }
            i = end > i ? end : i + 1;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
            } else {
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }
}
