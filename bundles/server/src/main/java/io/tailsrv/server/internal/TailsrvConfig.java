package io.tailsrv.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.server.internal.config.Settings;

/**
 * The metatype of a {@code tailsrv} factory configuration: one served
 * file/port pair, for tools that describe configurations (Karaf's
 * {@code config:} commands, web consoles). The values are read and checked
 * by {@link Settings}, which names the property at fault; limits and
 * defaults come from its constants, and {@code MetatypeTest} holds the two
 * and the README's table together.
 */
@ObjectClassDefinition(
        id = InstanceConfig.FACTORY_PID,
        name = "tailsrv instance",
        description = "Streams one growing file to TCP clients on one port.")
@interface TailsrvConfig {

    @AttributeDefinition(description = "The file to serve; it need not exist yet.")
    String file();

    @AttributeDefinition(min = Settings.MIN_PORT, max = Settings.MAX_PORT, description = "The TCP port to listen on.")
    int port();

    @AttributeDefinition(required = false,
            description = "The address to listen on; empty for every interface, IPv4 and IPv6.")
    String bind() default "";

    @AttributeDefinition(required = false,
            description = "Keep serving the open file after it is deleted or moved.")
    boolean linger() default false;

    @AttributeDefinition(name = InstanceConfig.HEADER_TIMEOUT, required = false, type = AttributeType.DOUBLE,
            min = Settings.MIN_HEADER_TIMEOUT, max = Settings.MAX_HEADER_TIMEOUT,
            defaultValue = Settings.DEFAULT_HEADER_TIMEOUT,
            description = "Seconds a connection has to finish its handshake (send its offset header).")
    double header_timeout();

    @AttributeDefinition(name = InstanceConfig.MAX_CLIENTS, required = false, min = Settings.DEFAULT_MAX_CLIENTS,
            defaultValue = Settings.DEFAULT_MAX_CLIENTS,
            description = "Refuse streaming clients beyond this many; connections still in their handshake do not"
                    + " count; 0 for no limit.")
    int max_clients();

    @AttributeDefinition(name = InstanceConfig.MAX_PENDING, required = false, min = Settings.MIN_MAX_PENDING,
            defaultValue = Settings.DEFAULT_MAX_PENDING,
            description = "Connections still in their handshake; when a new one would exceed this, the one that"
                    + " has waited longest is closed.")
    int max_pending();

    @AttributeDefinition(required = false,
            description = "Peers allowed to connect, as CIDR blocks (IPv4 or IPv6); empty for everyone.")
    String[] allow() default {};

    @AttributeDefinition(required = false, description = "false stops the instance without removing it.")
    boolean enabled() default true;

    @AttributeDefinition(name = InstanceConfig.LAG_WARN_SECONDS, required = false, type = AttributeType.DOUBLE,
            min = "0.001", max = "86400", defaultValue = Settings.DEFAULT_LAG_WARN_SECONDS,
            description = "Seconds a client may lag behind the end of the file before the health check warns.")
    double lag_warn_seconds();

    @AttributeDefinition(required = false,
            description = "HOST:PORT of a tailsrv to follow: the instance is a relay, which appends what it receives"
                    + " to its file and serves it; several, separated by commas, for failover.")
    String[] upstream() default {};

    @AttributeDefinition(name = InstanceConfig.UPSTREAM_TLS_CA, required = false,
            description = "PEM file of CAs the upstream's certificate must chain to; set, the relay speaks TLS.")
    String upstream_tls_ca() default "";

    @AttributeDefinition(name = InstanceConfig.UPSTREAM_TLS_CERT, required = false,
            description = "PEM file: the relay's certificate chain, for an upstream that asks for one.")
    String upstream_tls_cert() default "";

    @AttributeDefinition(name = InstanceConfig.UPSTREAM_TLS_KEY, required = false,
            description = "PEM file: the relay certificate's private key.")
    String upstream_tls_key() default "";

    @AttributeDefinition(name = InstanceConfig.UPSTREAM_FSYNC, required = false,
            defaultValue = Settings.DEFAULT_UPSTREAM_FSYNC,
            description = "none, or seconds between fdatasync calls on the relay's file.")
    String upstream_fsync();

    @AttributeDefinition(required = false,
            description = "HTTP/1.1 on the port, beside the offset protocol (curl, browsers, EventSource); false turns"
                    + " it off.")
    boolean http() default true;

    @AttributeDefinition(name = InstanceConfig.HTTP_CONTENT_TYPE, required = false,
            defaultValue = Settings.DEFAULT_HTTP_CONTENT_TYPE,
            description = "The Content-Type of the file over HTTP.")
    String http_content_type();

    @AttributeDefinition(name = InstanceConfig.TLS, required = false,
            options = {
                @Option(value = "off", label = "plain clients only"),
                @Option(value = "optional", label = "plain and TLS clients on one port"),
                @Option(value = "required", label = "TLS clients only")},
            description = "TLS on the port; empty: off without a certificate, required with one.")
    String tls() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_CERT, required = false,
            description = "PEM file: the server's certificate chain, leaf first.")
    String tls_cert() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_KEY, required = false,
            description = "PEM file: the certificate's private key (PKCS#8, PKCS#1 or SEC1; RSA or EC).")
    String tls_key() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_KEYSTORE, required = false,
            description = "PKCS#12 file holding the key and its chain, instead of tls.cert and tls.key.")
    String tls_keystore() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_KEYSTORE_PASSWORD, required = false,
            type = AttributeType.PASSWORD, description = "The password of tls.keystore.")
    String tls_keystore_password() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_CLIENT_CA, required = false,
            description = "PEM file of CAs: clients must present a certificate one of them signed (mutual TLS).")
    String tls_client_ca() default "";

    @AttributeDefinition(name = InstanceConfig.TLS_CLIENT_ALLOW, required = false,
            description = "Client identities admitted: subject CNs or DNS/URI subject alternative names, exact or"
                    + " *.example.com; empty: any certificate tls.client.ca signed.")
    String[] tls_client_allow() default {};
}
