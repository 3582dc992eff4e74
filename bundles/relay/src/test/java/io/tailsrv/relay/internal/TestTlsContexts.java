package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsClientConfig;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.api.TlsContexts;

/**
 * The client side of TlsContexts as its contract says, for the relay's
 * tests (bundle io.tailsrv.tls provides the real one): the JDK's TLS from
 * the PEM files, TLS 1.3 and 1.2, the upstream's name checked against its
 * certificate. Files are read once; following them is not this test's.
 */
final class TestTlsContexts implements TlsContexts {

    /** How many ClientTls are open: a relay closes its own. */
    final AtomicInteger open = new AtomicInteger();

    @Override
    public ServerTls open(String instance, TlsConfig config) {
        throw new UnsupportedOperationException("a relay asks for the client side only");
    }

    @Override
    public ClientTls client(String instance, TlsClientConfig config) throws TlsConfigException {
        if (!Files.isReadable(config.ca())) {
            throw new TlsConfigException(InstanceConfig.UPSTREAM_TLS_CA, config.ca() + " cannot be read");
        }
        SSLContext context;
        try {
            context = TestCertificates.clientContext(config.ca(), config.cert(), config.key());
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(InstanceConfig.UPSTREAM_TLS_CERT, e.toString(), e);
        }
        open.incrementAndGet();
        return new ClientTls() {
            @Override
            public SSLEngine newEngine(String host, int port) {
                SSLEngine engine = context.createSSLEngine(host, port);
                engine.setUseClientMode(true);
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                engine.setSSLParameters(parameters);
                return engine;
            }

            @Override
            public void close() {
                open.decrementAndGet();
            }
        };
    }
}
