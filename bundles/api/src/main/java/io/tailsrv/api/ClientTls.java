package io.tailsrv.api;

import javax.net.ssl.SSLEngine;

import org.osgi.annotation.versioning.ProviderType;

/** TLS towards one upstream, from {@link TlsContexts#client}. Thread-safe. */
@ProviderType
public interface ClientTls extends AutoCloseable {

    /**
     * A client-side engine for one connection to {@code host}: TLS 1.2 and
     * 1.3, the upstream's certificate checked against the configured CAs
     * and its name against {@code host}, the relay's own certificate
     * presented if the upstream asks and one is configured.
     */
    SSLEngine newEngine(String host, int port);

    /** Stops following the files. */
    @Override
    void close();
}
