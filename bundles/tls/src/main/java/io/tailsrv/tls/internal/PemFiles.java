package io.tailsrv.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import io.tailsrv.api.LogText;
import io.tailsrv.api.TlsConfigException;

/**
 * Certificates and private keys from PEM files, as CAs and openssl write
 * them, read with BouncyCastle's parser. Blocks of other kinds are passed
 * over, so that one file may hold a key and its chain (and serve as both
 * {@code tls.cert} and {@code tls.key}). The keys and certificates are made
 * by the JCA, as the JDK's TLS needs them: BouncyCastle parses, and is not
 * used as a provider.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The certificates in {@code file}, in the file's order; at least one. */
    static List<X509Certificate> certificates(Path file, String property) throws TlsConfigException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks(file, property)) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsConfigException(property, file + ": certificate " + (certificates.size() + 1)
                            + " cannot be read: " + LogText.escape(String.valueOf(e.getMessage())), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(property, file + " holds no PEM certificate");
        }
        return certificates;
    }

    /**
     * The one private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}),
     * PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}),
     * unencrypted.
     */
    static PrivateKey privateKey(Path file, String property) throws TlsConfigException {
        List<PrivateKey> keys = new ArrayList<>();
        for (Object block : blocks(file, property)) {
            if (block instanceof PEMKeyPair pair) {
                // only the private part: SEC1 makes the public key optional, and it may be absent
                keys.add(privateKey(pair.getPrivateKeyInfo(), file, property));
            } else if (block instanceof PrivateKeyInfo info) {
                keys.add(privateKey(info, file, property));
            } else if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsConfigException(property, file
                        + " holds an encrypted private key; it must be unencrypted");
            }
        }
        if (keys.isEmpty()) {
            throw new TlsConfigException(property, file + " holds no PEM private key");
        }
        if (keys.size() > 1) {
            throw new TlsConfigException(property, file + " holds " + keys.size() + " private keys; one is needed");
        }
        return keys.get(0);
    }

    /**
     * The key, made by the JCA under the standard name of its algorithm.
     * Not BouncyCastle's converter: it asks for EC keys as "ECDSA", a name
     * only BouncyCastle's provider answers, so that where that provider is
     * registered (Karaf registers it) the key would be one SunJSSE does not
     * serve as EC. Keys of other kinds are asked for by their OID, which the
     * providers know as an alias, so that {@link ServerKey#check} can refuse
     * them by name.
     */
    private static PrivateKey privateKey(PrivateKeyInfo info, Path file, String property) throws TlsConfigException {
        ASN1ObjectIdentifier type = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = type.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC"
                : type.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA"
                : type.getId();
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(property, file + ": the private key cannot be read: "
                    + LogText.escape(String.valueOf(e.getMessage())), e);
        }
    }

    /** Every PEM block of the file, parsed; text outside blocks is passed over, as openssl does. */
    private static List<Object> blocks(Path file, String property) throws TlsConfigException {
        byte[] bytes = TlsFile.read(file, property);
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(bytes), US_ASCII))) {
            for (Object block; (block = parser.readObject()) != null; ) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle throws IOException for what it does not know, and runtime exceptions for
            // some malformed encodings inside a block
            throw new TlsConfigException(property, file + " is not valid PEM: "
                    + LogText.escape(String.valueOf(e.getMessage())), e);
        }
        return blocks;
    }
}
