package io.tailsrv.server.internal.config;

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

import static io.tailsrv.api.InstanceConfig.ALLOW;
import static io.tailsrv.api.InstanceConfig.BIND;
import static io.tailsrv.api.InstanceConfig.ENABLED;
import static io.tailsrv.api.InstanceConfig.FILE;
import static io.tailsrv.api.InstanceConfig.HEADER_TIMEOUT;
import static io.tailsrv.api.InstanceConfig.LINGER;
import static io.tailsrv.api.InstanceConfig.MAX_CLIENTS;
import static io.tailsrv.api.InstanceConfig.MAX_PENDING;
import static io.tailsrv.api.InstanceConfig.PORT;

/**
 * One instance's configuration, read from Config Admin properties and checked.
 * Values may arrive typed (from Config Admin or Karaf's {@code config:}
 * commands) or as strings (from a {@code .cfg} file); both are accepted.
 *
 * <p>The limits and defaults here are the ones the metatype
 * ({@code TailsrvConfig}) declares, through the constants below; a test
 * holds the two, and the README's table, together.
 *
 * @param bind the address to listen on, or {@code null} for every interface
 */
public record Settings(
        Path file,
        int port,
        InetAddress bind,
        boolean linger,
        Duration headerTimeout,
        int maxClients,
        int maxPending,
        AllowList allow,
        boolean enabled) {

    /** Seconds; the metatype's default for {@code header.timeout}. */
    public static final String DEFAULT_HEADER_TIMEOUT = "30";
    /** The shortest header.timeout, in seconds: a millisecond (0 would close every connection at once). */
    public static final String MIN_HEADER_TIMEOUT = "0.001";
    /** The longest header.timeout, in seconds: a day. */
    public static final String MAX_HEADER_TIMEOUT = "86400";
    public static final String DEFAULT_MAX_CLIENTS = "0";
    public static final String DEFAULT_MAX_PENDING = "1000";
    /** At least one connection may be in its handshake, or nobody could connect. */
    public static final String MIN_MAX_PENDING = "1";
    public static final String MIN_PORT = "1";
    public static final String MAX_PORT = "65535";

    /** Reads and checks every property; the exception names the first one at fault. */
    public static Settings from(Map<String, ?> properties) throws InvalidSettingException {
        return new Settings(
                file(properties),
                port(properties),
                bind(properties),
                bool(properties, LINGER, false),
                headerTimeout(properties),
                count(properties, MAX_CLIENTS, DEFAULT_MAX_CLIENTS, 0, "0 for no limit"),
                count(properties, MAX_PENDING, DEFAULT_MAX_PENDING, Integer.parseInt(MIN_MAX_PENDING),
                        "at least " + MIN_MAX_PENDING),
                allow(properties),
                bool(properties, ENABLED, true));
    }

    /**
     * Whether going from these settings to {@code next} needs the listener or
     * the watch started again; the other properties apply to a running
     * instance without disturbing its clients.
     */
    public boolean needsRestartFor(Settings next) {
        return !file.equals(next.file)
                || port != next.port
                || !Objects.equals(bind, next.bind)
                || linger != next.linger
                || enabled != next.enabled;
    }

    /** {@code host:port} as a user would write it; {@code *} for every interface. */
    public String endpoint() {
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
        if (port < Integer.parseInt(MIN_PORT) || port > Integer.parseInt(MAX_PORT)) {
            throw new InvalidSettingException(PORT, text.strip() + " is out of range (" + MIN_PORT + "-" + MAX_PORT + ")");
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
            text = DEFAULT_HEADER_TIMEOUT;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(HEADER_TIMEOUT, "\"" + text.strip() + "\" is not a number of seconds");
        }
        if (!(seconds >= Double.parseDouble(MIN_HEADER_TIMEOUT)) || seconds > Double.parseDouble(MAX_HEADER_TIMEOUT)) {
            throw new InvalidSettingException(HEADER_TIMEOUT, text.strip() + " is out of range ("
                    + MIN_HEADER_TIMEOUT + "-" + MAX_HEADER_TIMEOUT + " seconds)");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static int count(Map<String, ?> properties, String name, String absent, int min, String range)
            throws InvalidSettingException {
        String text = text(properties, name);
        if (text == null || text.isBlank()) {
            text = absent;
        }
        long value = integer(name, text);
        if (value < min || value > Integer.MAX_VALUE) {
            throw new InvalidSettingException(name, text.strip() + " is out of range (" + range + ")");
        }
        return (int) value;
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
