package io.tailsrv.server.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One instance's configuration, read from Config Admin properties and checked.
 * Values may arrive typed (from Config Admin or Karaf's {@code config:}
 * commands) or as strings (from a {@code .cfg} file); both are accepted.
 *
 * @param bind the address to listen on, or {@code null} for every interface
 */
record Settings(
        Path file,
        int port,
        InetAddress bind,
        boolean linger,
        Duration headerTimeout,
        int maxClients,
        AllowList allow,
        boolean enabled) {

    static final String FILE = "file";
    static final String PORT = "port";
    static final String BIND = "bind";
    static final String LINGER = "linger";
    static final String HEADER_TIMEOUT = "header.timeout";
    static final String MAX_CLIENTS = "max.clients";
    static final String ALLOW = "allow";
    static final String ENABLED = "enabled";

    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);

    /** Reads and checks every property; the exception names the first one at fault. */
    static Settings from(Map<String, ?> properties) throws InvalidSettingException {
        return new Settings(
                file(properties),
                port(properties),
                bind(properties),
                bool(properties, LINGER, false),
                headerTimeout(properties),
                maxClients(properties),
                allow(properties),
                bool(properties, ENABLED, true));
    }

    /**
     * Whether going from these settings to {@code next} needs the listener or
     * the watch started again; the other properties apply to a running
     * instance without disturbing its clients.
     */
    boolean needsRestartFor(Settings next) {
        return !file.equals(next.file)
                || port != next.port
                || !Objects.equals(bind, next.bind)
                || linger != next.linger
                || enabled != next.enabled;
    }

    /** {@code host:port} as a user would write it; {@code *} for every interface. */
    String endpoint() {
        if (bind == null) {
            return "*:" + port;
        }
        String host = bind.getHostAddress();
        if (bind instanceof Inet6Address v6) {
            int zone = host.indexOf('%');
            return "[" + Peers.compact(v6) + (zone < 0 ? "" : host.substring(zone)) + "]:" + port;
        }
        return host + ":" + port;
    }

    private static Path file(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, FILE);
        if (text == null || text.isBlank()) {
            throw new InvalidSettingException(FILE, "is required (the path of the file to serve)");
        }
        try {
            return Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(FILE, "\"" + text + "\" is not a valid path");
        }
    }

    private static int port(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, PORT);
        if (text == null || text.isBlank()) {
            throw new InvalidSettingException(PORT, "is required (a TCP port, 1-65535)");
        }
        long port = integer(PORT, text);
        if (port < 1 || port > 65535) {
            throw new InvalidSettingException(PORT, text.strip() + " is out of range (1-65535)");
        }
        return (int) port;
    }

    private static InetAddress bind(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, BIND);
        if (text == null || text.isBlank() || text.strip().equals("*")) {
            return null;
        }
        String host = text.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidSettingException(BIND, "\"" + text.strip() + "\" is not an address of this host");
        }
    }

    private static Duration headerTimeout(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, HEADER_TIMEOUT);
        if (text == null || text.isBlank()) {
            return DEFAULT_HEADER_TIMEOUT;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(HEADER_TIMEOUT, "\"" + text.strip() + "\" is not a number of seconds");
        }
        if (!(seconds > 0) || seconds > 86_400) {
            throw new InvalidSettingException(HEADER_TIMEOUT, text.strip() + " is out of range (0-86400 seconds)");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static int maxClients(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, MAX_CLIENTS);
        if (text == null || text.isBlank()) {
            return 0;
        }
        long max = integer(MAX_CLIENTS, text);
        if (max < 0 || max > Integer.MAX_VALUE) {
            throw new InvalidSettingException(MAX_CLIENTS, text.strip() + " is out of range (0 for no limit)");
        }
        return (int) max;
    }

    private static AllowList allow(Map<String, ?> properties) throws InvalidSettingException {
        Object value = properties.get(ALLOW);
        List<String> entries = new ArrayList<>();
        if (value instanceof String[] array) {
            entries.addAll(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> entries.add(String.valueOf(item)));
        } else if (value != null) {
            entries.addAll(Arrays.asList(value.toString().split("[,\\s]+")));
        }
        try {
            return AllowList.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(ALLOW, e.getMessage());
        }
    }

    private static boolean bool(Map<String, ?> properties, String name, boolean absent)
            throws InvalidSettingException {
        String text = text(properties, name);
        if (text == null || text.isBlank()) {
            return absent;
        }
        switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidSettingException(name, "\"" + text.strip() + "\" is not true or false");
        }
    }

    private static long integer(String name, String text) throws InvalidSettingException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, "\"" + text.strip() + "\" is not a whole number");
        }
    }

    private static String text(Map<String, ?> properties, String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }
}
