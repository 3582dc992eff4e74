package io.tailsrv.bench;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLContext;

/**
 * The server under test: {@code HOST:PORT}, {@code [IPv6]:PORT}, or
 * {@code PORT} alone for 127.0.0.1; and, with {@code --tls}, the context its
 * clients speak TLS with (null for plain text).
 */
record Target(String host, int port, SSLContext tls) {

    static final String LOOPBACK = "127.0.0.1";

    Target(String host, int port) {
        this(host, port, null);
    }

    /** The same server, its clients speaking TLS with {@code context} (null: plain text). */
    Target overTls(SSLContext context) {
        return new Target(host, port, context);
    }

    static Target parse(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? LOOPBACK : text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            // without brackets, the port of "::1:4321" could be part of the address
            throw new UsageException("write an IPv6 address in brackets, as [::1]:4321: " + text);
        }
        if (host.isEmpty()) {
            throw new UsageException("no host before the port: " + text);
        }
        return new Target(host, parsePort(port, text));
    }

    private static int parsePort(String port, String text) throws UsageException {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new UsageException("not HOST:PORT or a port from 1 to 65535: " + text);
        }
        return Integer.parseInt(port);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
