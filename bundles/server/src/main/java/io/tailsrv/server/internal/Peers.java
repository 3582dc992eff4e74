package io.tailsrv.server.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** How peers appear in logs and in the console. */
final class Peers {

    private Peers() {
    }

    /** {@code 127.0.0.1:5555} or {@code [::1]:5555}. */
    static String format(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int zone = host.indexOf('%');
            return "[" + (zone < 0 ? host : host.substring(0, zone)) + "]:" + address.getPort();
        }
        return host + ":" + address.getPort();
    }
}
