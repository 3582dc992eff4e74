package io.tailsrv.tls.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.LogText;
import io.tailsrv.api.TlsClientConfig;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.api.TlsConfigException;

/** What an instance's TLS files hold, read and checked, made into the JDK's SSLContext. */
final class TlsFiles {

    /**
     * The type of the key stores made here to hand key and CAs to the JDK's
     * factories. They live in memory only, so their protection protects
     * nothing: JKS's costs nothing, where PKCS#12's key encryption would
     * spend some 10 ms of every (re)load on key derivation.
     */
    private static final String IN_MEMORY_TYPE = "JKS";
    /** The key's password inside the in-memory key store, which never leaves this class. */
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private TlsFiles() {
    }

    /** A context made from the files, and the key and chain it serves. */
    record Loaded(SSLContext context, ServerKey serverKey, boolean clientCertificates) {
    }

    /** Checks what the files cannot tell: which of the properties go together. */
    static void checkCombination(TlsConfig config) throws TlsConfigException {
        if (config.keystore() != null && (config.cert() != null || config.key() != null)) {
            throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, "set either it or " + InstanceConfig.TLS_CERT
                    + " and " + InstanceConfig.TLS_KEY + ", not both");
        }
        if (config.keystore() == null && config.cert() == null) {
            throw new TlsConfigException(InstanceConfig.TLS_CERT, "missing (or set " + InstanceConfig.TLS_KEYSTORE
                    + ")");
        }
        if (config.keystore() == null && config.key() == null) {
            throw new TlsConfigException(InstanceConfig.TLS_KEY, "missing (" + InstanceConfig.TLS_CERT + " is set)");
        }
        if (!config.clientAllow().isEmpty() && !config.clientCertificates()) {
            // without client CAs no client is asked for a certificate, so none could ever match
            throw new TlsConfigException(InstanceConfig.TLS_CLIENT_ALLOW, "needs " + InstanceConfig.TLS_CLIENT_CA
                    + " (clients are asked for certificates only then)");
        }
    }

    /** Reads the files, checks them at {@code now}, and makes a context of them. */
    static Loaded load(TlsConfig config, Instant now) throws TlsConfigException {
        ServerKey serverKey = (config.keystore() != null
                ? Pkcs12File.read(config.keystore(), config.keystorePassword())
                : ServerKey.fromPem(config.cert(), config.key())).check(now);
        List<X509Certificate> clientCas = config.clientCertificates()
                ? PemFiles.certificates(config.clientCa(), InstanceConfig.TLS_CLIENT_CA)
                : List.of();
        try {
            KeyStore keys = KeyStore.getInstance(IN_MEMORY_TYPE);
            keys.load(null, null);
            keys.setKeyEntry("server", serverKey.key(), IN_MEMORY,
                    serverKey.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, IN_MEMORY);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers(clientCas), null);
            return new Loaded(context, serverKey, !clientCas.isEmpty());
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(serverKey.certificateProperty(), "cannot make a TLS context of "
                    + serverKey.certificateFile() + ": " + LogText.escape(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * The client side's context, for a relay: the upstream's CAs as trust
     * anchors, the relay's own key and chain if it has them.
     */
    static SSLContext clientContext(TlsClientConfig config, Instant now) throws TlsConfigException {
        List<X509Certificate> cas = PemFiles.certificates(config.ca(), InstanceConfig.UPSTREAM_TLS_CA);
        ServerKey own = config.cert() == null ? null
                : ServerKey.fromPem(config.cert(), InstanceConfig.UPSTREAM_TLS_CERT, config.key(),
                        InstanceConfig.UPSTREAM_TLS_KEY).check(now);
        try {
            KeyManagerFactory keyManagers = null;
            if (own != null) {
                KeyStore keys = KeyStore.getInstance(IN_MEMORY_TYPE);
                keys.load(null, null);
                keys.setKeyEntry("relay", own.key(), IN_MEMORY, own.chain().toArray(new X509Certificate[0]));
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, IN_MEMORY);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers(cas), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(InstanceConfig.UPSTREAM_TLS_CA, "cannot make a TLS context of "
                    + config.ca() + ": " + LogText.escape(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * The client CAs as trust anchors; with none, no trust manager at all,
     * which keeps the JDK from loading its default CAs (no client is asked
     * for a certificate then).
     */
    private static TrustManager[] trustManagers(List<X509Certificate> clientCas)
            throws IOException, GeneralSecurityException {
        if (clientCas.isEmpty()) {
            return new TrustManager[0];
        }
        KeyStore anchors = KeyStore.getInstance(IN_MEMORY_TYPE);
        anchors.load(null, null);
        for (int i = 0; i < clientCas.size(); i++) {
            anchors.setCertificateEntry("ca-" + i, clientCas.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        return trust.getTrustManagers();
    }
}
