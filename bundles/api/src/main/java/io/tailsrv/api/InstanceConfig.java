package io.tailsrv.api;

/**
 * The configuration of a served file/port pair: one Config Admin factory
 * configuration of {@link #FACTORY_PID} per instance, with these property
 * names. Whoever writes configurations (the launcher's command line, the
 * console, a test) names the properties through these constants, so that
 * they are written once, here.
 */
public final class InstanceConfig {

    /**
     * The factory PID; a configuration file is {@code tailsrv-NAME.cfg}.
     * It holds no {@code -}, as Felix FileInstall splits file names at the first.
     */
    public static final String FACTORY_PID = "tailsrv";

    /** The file to serve (a path; required). */
    public static final String FILE = "file";
    /** The TCP port, 1-65535 (required). */
    public static final String PORT = "port";
    /** The address to listen on; absent, empty or {@code *} for every interface. */
    public static final String BIND = "bind";
    /** Keep serving the open file after it is deleted or moved (boolean). */
    public static final String LINGER = "linger";
    /** Seconds a connection has to finish its handshake (the offset header). */
    public static final String HEADER_TIMEOUT = "header.timeout";
    /** Streaming clients beyond this many are refused; 0 for no limit. */
    public static final String MAX_CLIENTS = "max.clients";
    /** Connections still in their handshake; past this, the longest-waiting one is closed. */
    public static final String MAX_PENDING = "max.pending";
    /** Peers allowed to connect, as CIDR blocks; empty for everyone. */
    public static final String ALLOW = "allow";
    /** {@code false} stops the instance without removing its configuration. */
    public static final String ENABLED = "enabled";

    /** {@code off}, {@code optional} (plain and TLS clients on the port) or {@code required}. */
    public static final String TLS = "tls";
    /** PEM file: the server's certificate chain. */
    public static final String TLS_CERT = "tls.cert";
    /** PEM file: the server's private key. */
    public static final String TLS_KEY = "tls.key";
    /** PKCS#12 file: key and chain, instead of {@link #TLS_CERT} and {@link #TLS_KEY}. */
    public static final String TLS_KEYSTORE = "tls.keystore";
    /** The password of {@link #TLS_KEYSTORE}. */
    public static final String TLS_KEYSTORE_PASSWORD = "tls.keystore.password";
    /** PEM file: CAs a client certificate must chain to (mutual TLS). */
    public static final String TLS_CLIENT_CA = "tls.client.ca";
    /** Client identities admitted: subject CNs or DNS/URI SANs, exact or {@code *.example.com}. */
    public static final String TLS_CLIENT_ALLOW = "tls.client.allow";

    /** Seconds a client may lag behind the end of the file before the instance's health check warns. */
    public static final String LAG_WARN_SECONDS = "lag.warn.seconds";

    /** {@code HOST:PORT[, HOST:PORT ...]}: follow that tailsrv into {@link #FILE} (a relay). */
    public static final String UPSTREAM = "upstream";
    /** PEM file: the CAs an upstream's certificate must chain to (TLS to the upstream). */
    public static final String UPSTREAM_TLS_CA = "upstream.tls.ca";
    /** PEM file: the relay's certificate chain, for an upstream that asks for one. */
    public static final String UPSTREAM_TLS_CERT = "upstream.tls.cert";
    /** PEM file: its private key. */
    public static final String UPSTREAM_TLS_KEY = "upstream.tls.key";
    /** {@code none}, or seconds between fdatasync calls on the relay's file. */
    public static final String UPSTREAM_FSYNC = "upstream.fsync";

    /** {@code false} turns HTTP off on the port (on by default). */
    public static final String HTTP = "http";
    /** The {@code Content-Type} of the file over HTTP; {@code text/plain; charset=utf-8} by default. */
    public static final String HTTP_CONTENT_TYPE = "http.content.type";

    /** The PID Config Admin gives the factory configuration named {@code name}. */
    public static String pidOf(String name) {
        return FACTORY_PID + "~" + name;
    }

    private InstanceConfig() {
    }
}
