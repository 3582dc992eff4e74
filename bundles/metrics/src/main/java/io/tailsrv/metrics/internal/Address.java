package io.tailsrv.metrics.internal;

import java.net.InetSocketAddress;

/** {@code HOST:PORT}, {@code [IPV6]:PORT} included, as --metrics and the configuration's address give it. */
final class Address {

    private Address() {
    }

    /** The address to listen on; the host is resolved now. */
    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not HOST:PORT: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + text.substring(colon + 1));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 1 to 65535, not " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        return address;
    }
}
