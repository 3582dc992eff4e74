package io.tailsrv.tls.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.tailsrv.api.FileWatch;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.tls.internal.TlsFiles.Loaded;

/**
 * One instance's TLS: the context in use, replaced as a whole when its
 * files are renewed; engines already made keep the context they were made
 * with, and so their sessions.
 *
 * <p>Client-initiated renegotiation: TLS 1.3 has none; for TLS 1.2 the JDK
 * offers no switch per engine (only the JVM-wide system property
 * {@code jdk.tls.rejectClientInitiatedRenegotiation}), so the connection
 * pipeline refuses a handshake that starts again after the first.
 */
final class InstanceTls implements ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String name;
    private final TlsConfig config;
    private final ClientAllowList allow;
    private final Renewal renewal;
    private final ReloadThread reloads;
    private final Consumer<InstanceTls> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Loaded current;
    /** The last reload's failure, logged once however many reloads fail the same way; the reload thread's. */
    private String failure;

    private InstanceTls(String name, TlsConfig config, FileWatch fileWatch, ReloadThread reloads,
            Consumer<InstanceTls> onClose) {
        this.name = name;
        this.config = config;
        this.allow = new ClientAllowList(config.clientAllow());
        this.reloads = reloads;
        this.onClose = onClose;
        this.renewal = new Renewal(fileWatch, reloads.acquire(), files(config), this::reload);
    }

    /**
     * Follows the files, then reads them (in that order, so that no change
     * goes unseen).
     *
     * @param onClose told once this is closed
     */
    static InstanceTls open(String name, TlsConfig config, FileWatch fileWatch, ReloadThread reloads,
            Consumer<InstanceTls> onClose) throws TlsConfigException {
        TlsFiles.checkCombination(config);
        InstanceTls tls = new InstanceTls(name, config, fileWatch, reloads, onClose);
        try {
            tls.load();
        } catch (TlsConfigException | RuntimeException e) {
            tls.close();
            throw e;
        }
        Loaded loaded = tls.current;
        LOG.atDebug().addKeyValue(LogFields.INSTANCE, name).log(
                "[{}] TLS certificate from {}: subject {}, valid until {}", name, loaded.serverKey().certificateFile(),
                loaded.serverKey().subject(), loaded.serverKey().leaf().getNotAfter().toInstant());
        return tls;
    }

    @Override
    public SSLEngine newEngine(String peerHost, int peerPort) {
        Loaded loaded = current;
        SSLEngine engine = loaded.context().createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setNeedClientAuth(loaded.clientCertificates());
        engine.setSSLParameters(parameters);
        return engine;
    }

    @Override
    public ClientIdentity identify(SSLSession session) {
        return allow.identify(session);
    }

    @Override
    public String describe(SSLException failure) {
        return HandshakeFailures.describe(failure);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            renewal.close();
            reloads.release();
            onClose.accept(this);
        }
    }

    /**
     * Watches the files anew and reads them. Synchronized: the first load
     * (on the caller of open) and a reload that a change right after the
     * watch began asks for must not overtake each other.
     */
    private synchronized void load() throws TlsConfigException {
        renewal.watch();
        current = TlsFiles.load(config, Instant.now());
    }

    /** On the reload thread, once the files have been quiet after a change. */
    private void reload() {
        try {
            load();
            failure = null;
            Loaded loaded = current;
            log(LOG.atInfo()).log("[{}] TLS certificate reloaded from {}: subject {}, valid until {}", name,
                    loaded.serverKey().certificateFile(), loaded.serverKey().subject(),
                    loaded.serverKey().leaf().getNotAfter().toInstant());
        } catch (TlsConfigException | RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (problem.equals(failure)) {
                log(LOG.atDebug()).log("[{}] TLS files still unusable, the certificate in use stays: {}", name,
                        problem);
            } else {
                failure = problem;
                LoggingEventBuilder error = log(LOG.atError());
                if (e instanceof RuntimeException) {
                    error = error.setCause(e); // a fault of this bundle's, not of the files
                }
                error.log("[{}] TLS certificate not reloaded, the one in use stays: {}", name, problem);
            }
        }
    }

    private LoggingEventBuilder log(LoggingEventBuilder event) {
        return event.addKeyValue(LogFields.INSTANCE, name);
    }

    /** Every file to follow, with the property naming it (one file may serve as two). */
    private static Map<Path, String> files(TlsConfig config) {
        Map<Path, String> files = new LinkedHashMap<>();
        put(files, config.cert(), InstanceConfig.TLS_CERT);
        put(files, config.key(), InstanceConfig.TLS_KEY);
        put(files, config.keystore(), InstanceConfig.TLS_KEYSTORE);
        put(files, config.clientCa(), InstanceConfig.TLS_CLIENT_CA);
        return files;
    }

    private static void put(Map<Path, String> files, Path file, String property) {
        if (file != null) {
            files.putIfAbsent(file, property);
        }
    }
}
