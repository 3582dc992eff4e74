package io.tailsrv.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;

import picocli.CommandLine;

/**
 * {@code HOST:PORT} of --jmx and --metrics ({@code [IPV6]:PORT} too),
 * checked when the command line is read: a typing error is a usage error,
 * not a failure found later.
 */
record HostPort(String host, int port) {

    /** For picocli: a bad value, or a host with no address, is reported as a bad command line (exit 2). */
    static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                HostPort hostPort = parse(value);
                hostPort.address();
                return hostPort;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            } catch (UnknownHostException e) {
                throw new CommandLine.TypeConversionException("unknown host '" + e.getMessage() + "'");
            }
        }
    }

    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: '" + text.substring(colon + 1) + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 1 to 65535, not " + port);
        }
        return new HostPort(host, port);
    }

    InetAddress address() throws UnknownHostException {
        return InetAddress.getByName(host);
    }

    /** As it is written on the command line: an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
