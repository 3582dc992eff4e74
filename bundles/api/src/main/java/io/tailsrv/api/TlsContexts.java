package io.tailsrv.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * TLS for the instances that ask for it: the server side of each is made
 * from its certificate files, and follows them, so that a renewed
 * certificate is used by new connections without a restart.
 */
@ProviderType
public interface TlsContexts {

    /**
     * Reads an instance's certificate, key and client CAs now, and from then
     * on follows their files (through {@link FileWatch}: no polling). When
     * they change, new engines get the new certificate; if what they hold is
     * bad (a key that does not match, a certificate that cannot be read),
     * the one in use stays, and one error naming the file is logged.
     *
     * @param instance the instance's name, for its log lines
     * @throws TlsConfigException naming the property at fault: a file unreadable or not what it
     *         should hold, a key that does not match its certificate, a wrong password, a
     *         certificate that has expired or is not yet valid
     */
    ServerTls open(String instance, TlsConfig config) throws TlsConfigException;

    /**
     * The client side, for a relay following an upstream over TLS: reads
     * the CAs to trust and the relay's own certificate and key now, and
     * follows their files as {@link #open} does.
     *
     * @throws TlsConfigException naming the {@code upstream.tls.*} property at fault
     */
    ClientTls client(String instance, TlsClientConfig config) throws TlsConfigException;
}
