package io.tailsrv.api;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.osgi.annotation.versioning.ProviderType;

/** One instance's TLS, from {@link TlsContexts#open}. Thread-safe. */
@ProviderType
public interface ServerTls extends AutoCloseable {

    /**
     * A server-side engine for one new connection, with the certificate in
     * use now: TLS 1.2 and 1.3 only, the JDK's default cipher suites for
     * them, client certificates required when the configuration names
     * client CAs.
     */
    SSLEngine newEngine(String peerHost, int peerPort);

    /**
     * Whether the client whose handshake just finished may stream, judged
     * by its certificate and {@code tls.client.allow}.
     *
     * @return its identity, with a refusal if it is not admitted
     */
    ClientIdentity identify(SSLSession session);

    /**
     * Why a handshake failed, in a few words for the log: "no client
     * certificate", "unknown CA", "certificate expired", "protocol version
     * too old", ..., else the engine's own message.
     */
    String describe(SSLException failure);

    /** Stops following the files. */
    @Override
    void close();

    /**
     * Who a TLS client is.
     *
     * @param name the subject CN of its certificate, or else its first DNS or URI subject
     *        alternative name; null when it presented none (none was asked for)
     * @param refusal why it may not stream ("identity not allowed: ..."), or null if it may
     */
    record ClientIdentity(String name, String refusal) {

        public boolean admitted() {
            return refusal == null;
        }
    }
}
