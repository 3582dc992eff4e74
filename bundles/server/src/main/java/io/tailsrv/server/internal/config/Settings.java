package io.tailsrv.server.internal.config;

import static io.tailsrv.api.InstanceConfig.ALLOW;
import static io.tailsrv.api.InstanceConfig.BIND;
import static io.tailsrv.api.InstanceConfig.ENABLED;
import static io.tailsrv.api.InstanceConfig.FILE;
import static io.tailsrv.api.InstanceConfig.HEADER_TIMEOUT;
import static io.tailsrv.api.InstanceConfig.HTTP;
import static io.tailsrv.api.InstanceConfig.HTTP_CONTENT_TYPE;
import static io.tailsrv.api.InstanceConfig.LAG_WARN_SECONDS;
import static io.tailsrv.api.InstanceConfig.LINGER;
import static io.tailsrv.api.InstanceConfig.MAX_CLIENTS;
import static io.tailsrv.api.InstanceConfig.MAX_PENDING;
import static io.tailsrv.api.InstanceConfig.PORT;
import static io.tailsrv.api.InstanceConfig.TLS;
import static io.tailsrv.api.InstanceConfig.TLS_CERT;
import static io.tailsrv.api.InstanceConfig.TLS_CLIENT_ALLOW;
import static io.tailsrv.api.InstanceConfig.TLS_CLIENT_CA;
import static io.tailsrv.api.InstanceConfig.TLS_KEY;
import static io.tailsrv.api.InstanceConfig.TLS_KEYSTORE;
import static io.tailsrv.api.InstanceConfig.TLS_KEYSTORE_PASSWORD;
import static io.tailsrv.api.InstanceConfig.UPSTREAM;
import static io.tailsrv.api.InstanceConfig.UPSTREAM_FSYNC;
import static io.tailsrv.api.InstanceConfig.UPSTREAM_TLS_CA;
import static io.tailsrv.api.InstanceConfig.UPSTREAM_TLS_CERT;
import static io.tailsrv.api.InstanceConfig.UPSTREAM_TLS_KEY;

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

import io.tailsrv.api.RelayConfig;
import io.tailsrv.api.TlsClientConfig;
import io.tailsrv.api.TlsConfig;

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
 * @param tlsConfig the tls.* files and patterns; null when {@code tls} is off
 * @param upstreams the servers a relay follows; empty when the instance is no relay
 * @param upstreamTls TLS towards them; null for plain
 * @param upstreamFsync how often a relay makes its file durable; null for never
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
        boolean enabled,
        TlsMode tls,
        TlsConfig tlsConfig,
        boolean http,
        String httpContentType,
        List<RelayConfig.Upstream> upstreams,
        TlsClientConfig upstreamTls,
        Duration upstreamFsync,
        double lagWarnSeconds) {

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
    public static final String DEFAULT_HTTP_CONTENT_TYPE = "text/plain; charset=utf-8";
    public static final String DEFAULT_UPSTREAM_FSYNC = "none";
    public static final String DEFAULT_LAG_WARN_SECONDS = "60";
    public static final String MIN_PORT = "1";
    public static final String MAX_PORT = "65535";

    /** Reads and checks every property; the exception names the first one at fault. */
    public static Settings from(Map<String, ?> properties) throws InvalidSettingException {
        TlsConfig tlsConfig = tlsConfig(properties);
        TlsMode tls = tlsMode(properties, tlsConfig);
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
                bool(properties, ENABLED, true),
                tls,
                tls == TlsMode.OFF ? null : tlsConfig,
                bool(properties, HTTP, true),
                contentType(properties),
                upstreams(properties),
                upstreamTls(properties),
                fsync(properties),
                seconds(properties, LAG_WARN_SECONDS, DEFAULT_LAG_WARN_SECONDS));
    }

    /** Whether the instance is a relay: it follows an upstream into its file. */
    public boolean relay() {
        return !upstreams.isEmpty();
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
                || enabled != next.enabled
                || tls != next.tls
                || !Objects.equals(tlsConfig, next.tlsConfig)
                || !upstreams.equals(next.upstreams)
                || !Objects.equals(upstreamTls, next.upstreamTls)
                || !Objects.equals(upstreamFsync, next.upstreamFsync);
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

    /**
     * The tls.* files and patterns as given, checked for form: a certificate
     * goes with its key, or a keystore stands alone; allowed identities need
     * client CAs to be checked against. Null when none of them is set.
     */
    private static TlsConfig tlsConfig(Map<String, ?> properties) throws InvalidSettingException {
        Path cert = optionalPath(properties, TLS_CERT);
        Path key = optionalPath(properties, TLS_KEY);
        Path keystore = optionalPath(properties, TLS_KEYSTORE);
        Path clientCa = optionalPath(properties, TLS_CLIENT_CA);
        List<String> allowed = list(properties, TLS_CLIENT_ALLOW);
        String password = text(properties, TLS_KEYSTORE_PASSWORD);
        if (cert != null && key == null) {
            throw new InvalidSettingException(TLS_KEY, "is required with " + TLS_CERT + " (the certificate's private key)");
        }
        if (key != null && cert == null) {
            throw new InvalidSettingException(TLS_CERT, "is required with " + TLS_KEY + " (the key's certificate chain)");
        }
        if (keystore != null && cert != null) {
            throw new InvalidSettingException(TLS_KEYSTORE, "is set as well as " + TLS_CERT + ": give one or the other");
        }
        for (String pattern : allowed) {
            String rest = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
            if (rest.isEmpty() || rest.contains("*")) {
                throw new InvalidSettingException(TLS_CLIENT_ALLOW,
                        "\"" + pattern + "\" is not a name, nor *. followed by a domain");
            }
        }
        if (!allowed.isEmpty() && clientCa == null) {
            throw new InvalidSettingException(TLS_CLIENT_ALLOW,
                    "needs " + TLS_CLIENT_CA + ": client identities are read from certificates those CAs signed");
        }
        if (cert == null && keystore == null && clientCa == null && allowed.isEmpty()) {
            return null;
        }
        return new TlsConfig(cert, key, keystore, password, clientCa, allowed);
    }

    /** {@code HOST:PORT[, HOST:PORT ...]}; an IPv6 address in brackets. */
    private static List<RelayConfig.Upstream> upstreams(Map<String, ?> properties) throws InvalidSettingException {
        List<RelayConfig.Upstream> out = new ArrayList<>();
        for (String entry : list(properties, UPSTREAM)) {
            int colon = entry.lastIndexOf(':');
            String host = colon < 0 ? "" : entry.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                host = ""; // an IPv6 address without brackets: its last group would read as the port
            }
            long port;
            try {
                port = colon < 0 ? -1 : Long.parseLong(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new InvalidSettingException(UPSTREAM, "\"" + entry + "\" is not HOST:PORT ([ADDRESS]:PORT for IPv6)");
            }
            out.add(new RelayConfig.Upstream(host, (int) port));
        }
        return List.copyOf(out);
    }

    /** TLS towards the upstream: on when its CAs are named; the relay's own certificate goes with its key. */
    private static TlsClientConfig upstreamTls(Map<String, ?> properties) throws InvalidSettingException {
        Path ca = optionalPath(properties, UPSTREAM_TLS_CA);
        Path cert = optionalPath(properties, UPSTREAM_TLS_CERT);
        Path key = optionalPath(properties, UPSTREAM_TLS_KEY);
        if (cert != null && key == null) {
            throw new InvalidSettingException(UPSTREAM_TLS_KEY, "is required with " + UPSTREAM_TLS_CERT);
        }
        if (key != null && cert == null) {
            throw new InvalidSettingException(UPSTREAM_TLS_CERT, "is required with " + UPSTREAM_TLS_KEY);
        }
        if (ca == null && cert != null) {
            throw new InvalidSettingException(UPSTREAM_TLS_CA,
                    "is required with " + UPSTREAM_TLS_CERT + " (the CAs the upstream's certificate must chain to)");
        }
        return ca == null ? null : new TlsClientConfig(ca, cert, key);
    }

    /** A positive number of seconds, decimals allowed, up to a day. */
    private static double seconds(Map<String, ?> properties, String name, String absent)
            throws InvalidSettingException {
        String text = text(properties, name);
        if (text == null || text.isBlank()) {
            text = absent;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, "\"" + text.strip() + "\" is not a number of seconds");
        }
        if (!(seconds >= 0.001) || seconds > 86_400) {
            throw new InvalidSettingException(name, text.strip() + " is out of range (0.001-86400 seconds)");
        }
        return seconds;
    }

    /** {@code none} (or absent), or seconds between fdatasync calls. */
    private static Duration fsync(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, UPSTREAM_FSYNC);
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase(DEFAULT_UPSTREAM_FSYNC)) {
            return null;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(UPSTREAM_FSYNC, "\"" + text.strip() + "\" is neither none nor seconds");
        }
        if (!(seconds >= 0.001) || seconds > 86_400) {
            throw new InvalidSettingException(UPSTREAM_FSYNC, text.strip() + " is out of range (0.001-86400 seconds)");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** A media type as a header carries it: printable ASCII, one line. */
    private static String contentType(Map<String, ?> properties) throws InvalidSettingException {
        String text = text(properties, HTTP_CONTENT_TYPE);
        if (text == null || text.isBlank()) {
            return DEFAULT_HTTP_CONTENT_TYPE;
        }
        String type = text.strip();
        if (!type.matches("[\\x21-\\x7e]+/[\\x20-\\x7e]+")) {
            throw new InvalidSettingException(HTTP_CONTENT_TYPE, "\"" + type + "\" is not a media type (type/subtype)");
        }
        return type;
    }

    /** {@code tls}: off without a certificate, required with one, unless it says otherwise. */
    private static TlsMode tlsMode(Map<String, ?> properties, TlsConfig config) throws InvalidSettingException {
        boolean certificate = config != null && (config.cert() != null || config.keystore() != null);
        String text = text(properties, TLS);
        TlsMode mode;
        if (text == null || text.isBlank()) {
            mode = certificate ? TlsMode.REQUIRED : TlsMode.OFF;
        } else {
            try {
                mode = TlsMode.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(TLS, "\"" + text.strip() + "\" is not off, optional or required");
            }
        }
        if (mode != TlsMode.OFF && !certificate) {
            throw new InvalidSettingException(TLS, mode.word() + " needs a certificate: " + TLS_CERT + " and "
                    + TLS_KEY + ", or " + TLS_KEYSTORE);
        }
        if (mode == TlsMode.OFF && config != null && config.clientCa() != null) {
            throw new InvalidSettingException(TLS_CLIENT_CA, "is set, but tls is off");
        }
        return mode;
    }

    private static Path optionalPath(Map<String, ?> properties, String name) throws InvalidSettingException {
        String text = text(properties, name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(name, "\"" + text + "\" is not a valid path");
        }
    }

    /** A list property: an array or collection (Config Admin), or text separated by commas or spaces. */
    private static List<String> list(Map<String, ?> properties, String name) {
        Object value = properties.get(name);
        List<String> entries = new ArrayList<>();
        if (value instanceof String[] array) {
            entries.addAll(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> entries.add(String.valueOf(item)));
        } else if (value != null) {
            entries.addAll(Arrays.asList(value.toString().split("[,\\s]+")));
        }
        entries.replaceAll(String::strip);
        entries.removeIf(String::isEmpty);
        return entries;
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
        try {
            return AllowList.parse(list(properties, ALLOW));
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
