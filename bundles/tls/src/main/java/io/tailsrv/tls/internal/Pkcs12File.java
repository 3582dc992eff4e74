package io.tailsrv.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.LogText;
import io.tailsrv.api.TlsConfigException;

/** The server's key and chain from a PKCS#12 file (openssl pkcs12 -export, keytool), read by the JDK. */
final class Pkcs12File {

    private Pkcs12File() {
    }

    static ServerKey read(Path file, String password) throws TlsConfigException {
        byte[] bytes = TlsFile.read(file, InstanceConfig.TLS_KEYSTORE);
        char[] secret = password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), secret);
        } catch (IOException e) {
            // the JDK says a wrong password with an UnrecoverableKeyException as the cause; anything
            // else is a file it could not make sense of
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw wrongPassword(file, e);
            }
            throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + " is not a PKCS#12 keystore", e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + " cannot be read: "
                    + LogText.escape(String.valueOf(e.getMessage())), e);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.isEmpty()) {
                throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + " holds no private key");
            }
            if (keys.size() > 1) {
                throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + " holds " + keys.size()
                        + " private keys; one is needed");
            }
            String alias = keys.get(0);
            PrivateKey key = (PrivateKey) store.getKey(alias, secret);
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + " holds no certificate for its key");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return new ServerKey(key, certificates, file, InstanceConfig.TLS_KEYSTORE, file,
                    InstanceConfig.TLS_KEYSTORE);
        } catch (UnrecoverableKeyException e) {
            throw wrongPassword(file, e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(InstanceConfig.TLS_KEYSTORE, file + ": the private key cannot be read: "
                    + LogText.escape(String.valueOf(e.getMessage())), e);
        }
    }

    private static TlsConfigException wrongPassword(Path file, Exception cause) {
        return new TlsConfigException(InstanceConfig.TLS_KEYSTORE_PASSWORD, "wrong password for " + file, cause);
    }
}
