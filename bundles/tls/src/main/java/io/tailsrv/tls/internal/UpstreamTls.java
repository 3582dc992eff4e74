package io.tailsrv.tls.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.ClientTls;
import io.tailsrv.api.FileWatch;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.TlsClientConfig;
import io.tailsrv.api.TlsConfigException;

/**
 * A relay's TLS towards its upstream: the CAs it trusts and its own
 * certificate, followed for renewal as a server's are ({@link Renewal}); a
 * new connection gets what the files hold then.
 */
final class UpstreamTls implements ClientTls {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String name;
    private final TlsClientConfig config;
    private final Renewal renewal;
    private final ReloadThread reloads;
    private final Consumer<UpstreamTls> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SSLContext context;

    private UpstreamTls(String name, TlsClientConfig config, FileWatch fileWatch, ReloadThread reloads,
            Consumer<UpstreamTls> onClose) {
        this.name = name;
        this.config = config;
        this.reloads = reloads;
        this.onClose = onClose;
        this.renewal = new Renewal(fileWatch, reloads.acquire(), files(config), this::reload);
    }

    static UpstreamTls open(String name, TlsClientConfig config, FileWatch fileWatch, ReloadThread reloads,
            Consumer<UpstreamTls> onClose) throws TlsConfigException {
        UpstreamTls tls = new UpstreamTls(name, config, fileWatch, reloads, onClose);
        try {
            tls.load();
        } catch (TlsConfigException | RuntimeException e) {
            tls.close();
            throw e;
        }
        return tls;
    }

    /** A client engine that checks the upstream's certificate, and its name against {@code host}. */
    @Override
    public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the upstream
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            renewal.close();
            reloads.release();
            onClose.accept(this);
        }
    }

    private synchronized void load() throws TlsConfigException {
        renewal.watch();
        context = TlsFiles.clientContext(config, Instant.now());
    }

    private void reload() {
        try {
            load();
            LOG.atInfo().addKeyValue(LogFields.INSTANCE, name).log("[{}] upstream TLS files reloaded", name);
        } catch (TlsConfigException | RuntimeException e) {
            LOG.atError().addKeyValue(LogFields.INSTANCE, name)
                    .log("[{}] upstream TLS files not reloaded, those in use stay: {}", name, e.getMessage());
        }
    }

    private static Map<Path, String> files(TlsClientConfig config) {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(config.ca(), InstanceConfig.UPSTREAM_TLS_CA);
        if (config.cert() != null) {
            files.putIfAbsent(config.cert(), InstanceConfig.UPSTREAM_TLS_CERT);
            files.putIfAbsent(config.key(), InstanceConfig.UPSTREAM_TLS_KEY);
        }
        return files;
    }
}
