package io.tailsrv.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.LogText;
import io.tailsrv.api.TlsConfigException;

/**
 * The server's private key and its certificate chain, leaf first, with the
 * files and properties they came from (for messages).
 */
record ServerKey(PrivateKey key, List<X509Certificate> chain, Path certificateFile, String certificateProperty,
        Path keyFile, String keyProperty) {

    private static final byte[] CHALLENGE = "tailsrv: does this key belong to this certificate?".getBytes(US_ASCII);

    ServerKey {
        chain = List.copyOf(chain);
    }

    /** From {@code tls.cert} and {@code tls.key}. */
    static ServerKey fromPem(Path certificateFile, Path keyFile) throws TlsConfigException {
        return fromPem(certificateFile, InstanceConfig.TLS_CERT, keyFile, InstanceConfig.TLS_KEY);
    }

    /** From a certificate chain and a key in PEM files, named in messages by {@code *Property}. */
    static ServerKey fromPem(Path certificateFile, String certificateProperty, Path keyFile, String keyProperty)
            throws TlsConfigException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, certificateProperty);
        PrivateKey key = PemFiles.privateKey(keyFile, keyProperty);
        return new ServerKey(key, chain, certificateFile, certificateProperty, keyFile, keyProperty);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** The leaf's subject, for log lines. */
    String subject() {
        return LogText.escape(leaf().getSubjectX500Principal().getName());
    }

    /**
     * Checks that the key is one TLS can use, that it belongs to the leaf
     * certificate, and that the leaf is valid at {@code now}.
     */
    ServerKey check(Instant now) throws TlsConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsConfigException(keyProperty, keyFile + " holds a key of type " + key.getAlgorithm()
                    + "; RSA or EC is needed");
        };
        if (!signs(algorithm)) {
            throw new TlsConfigException(keyProperty, "the key in " + keyFile + " does not match the certificate in "
                    + certificateFile + " (" + subject() + ")");
        }
        try {
            leaf().checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new TlsConfigException(certificateProperty, "the certificate in " + certificateFile + " ("
                    + subject() + ") expired on " + leaf().getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new TlsConfigException(certificateProperty, "the certificate in " + certificateFile + " ("
                    + subject() + ") is not valid before " + leaf().getNotBefore().toInstant(), e);
        }
        return this;
    }

    /**
     * Whether a signature made with the key verifies with the leaf's public
     * key: proof that they are one pair, whatever the key's encoding (a
     * PKCS#8 EC key need not carry its public point, so there may be no
     * public key to compare with).
     */
    private boolean signs(String algorithm) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf().getPublicKey());
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // the certificate's key is of another kind, or on another curve
        }
    }
}
