package io.tailsrv.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code tls.*} properties of one instance, as its configuration gives
 * them: checked for form (paths, patterns), not yet for what the files hold.
 * Either {@code cert} and {@code key} or {@code keystore} is set.
 *
 * @param cert {@value InstanceConfig#TLS_CERT}: PEM, the server's certificate chain, leaf first; or null
 * @param key {@value InstanceConfig#TLS_KEY}: PEM, its private key (PKCS#8 or PKCS#1/SEC1, RSA or EC); or null
 * @param keystore {@value InstanceConfig#TLS_KEYSTORE}: a PKCS#12 file holding key and chain; or null
 * @param keystorePassword {@value InstanceConfig#TLS_KEYSTORE_PASSWORD}; empty for none
 * @param clientCa {@value InstanceConfig#TLS_CLIENT_CA}: PEM, the CAs a client certificate must chain
 *        to; null when clients are not asked for certificates
 * @param clientAllow {@value InstanceConfig#TLS_CLIENT_ALLOW}: the client identities admitted, each a
 *        subject CN or a DNS or URI subject alternative name, exact or {@code *.example.com}; empty
 *        for any certificate {@code clientCa} signed
 */
public record TlsConfig(Path cert, Path key, Path keystore, String keystorePassword, Path clientCa,
        List<String> clientAllow) {

    public TlsConfig {
        clientAllow = List.copyOf(clientAllow);
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
    }

    /** Whether clients must present a certificate (mutual TLS). */
    public boolean clientCertificates() {
        return clientCa != null;
    }

    /** Leaves the password out: this record is logged. */
    @Override
    public String toString() {
        return "TlsConfig[cert=" + cert + ", key=" + key + ", keystore=" + keystore + ", clientCa=" + clientCa
                + ", clientAllow=" + clientAllow + "]";
    }
}
