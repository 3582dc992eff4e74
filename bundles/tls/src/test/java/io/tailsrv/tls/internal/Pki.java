package io.tailsrv.tls.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made by the tests: CAs, and server and client certificates
 * they issue, with BouncyCastle's builder and the JDK's keys; written as PEM
 * (PKCS#8 or the traditional PKCS#1/SEC1 key formats) and PKCS#12.
 */
final class Pki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and the certificate issued for it. */
    record Issued(KeyPair keys, X509Certificate certificate) {

        PrivateKey key() {
            return keys.getPrivate();
        }
    }

    /** Which extended key usage a leaf certificate gets. */
    enum Usage { SERVER, CLIENT }

    private Pki() {
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA, valid from a day ago for ten years. */
    static Issued ca(String commonName) {
        KeyPair keys = ec();
        X500Name subject = cn(commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(keys, sign(builder, keys.getPrivate()));
    }

    /** A subject of one RDN, its CN (any text: it is not parsed). */
    static X500Name cn(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** An empty subject, for a certificate named by its alternative names only. */
    static X500Name noSubject() {
        return new X500Name(new RDN[0]);
    }

    /** A leaf valid from a day ago for a year. */
    static Issued leaf(Issued ca, KeyPair keys, X500Name subject, Usage usage, GeneralName... alternativeNames) {
        Instant now = Instant.now();
        return leaf(ca, keys, subject, usage, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
                alternativeNames);
    }

    /**
     * A leaf certificate issued by {@code ca}.
     *
     * @param subject such as {@code cn("reader")}, or {@link #noSubject()}
     */
    static Issued leaf(Issued ca, KeyPair keys, X500Name subject, Usage usage, Instant notBefore, Instant notAfter,
            GeneralName... alternativeNames) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    usage == Usage.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (alternativeNames.length > 0) {
                // critical when the subject is empty, as RFC 5280 requires
                builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                        new GeneralNames(alternativeNames));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(keys, sign(builder, ca.key()));
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    /** Writes the certificates as one PEM chain, in order. */
    static Path writeChain(Path file, X509Certificate... chain) throws IOException {
        List<Object> blocks = new ArrayList<>(List.of(chain));
        return writePem(file, blocks);
    }

    /** Writes the key as PKCS#8 ({@code PRIVATE KEY}). */
    static Path writePkcs8(Path file, PrivateKey key) throws IOException {
        return writePem(file, List.of(new JcaPKCS8Generator(key, null).generate()));
    }

    /**
     * Writes the key in the traditional format, as openssl does: PKCS#1
     * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, with its
     * curve and public key).
     */
    static Path writeTraditional(Path file, KeyPair keys) throws IOException {
        if (keys.getPrivate() instanceof ECPrivateKey) {
            return writeSec1(file, keys, true);
        }
        return writePem(file, List.of(keys));
    }

    /**
     * Writes an EC key as SEC1 (RFC 5915), its curve named, its public key
     * there or not (it is optional). BouncyCastle's writer would take the
     * JDK's PKCS#8 encoding apart, which has neither inside.
     */
    static Path writeSec1(Path file, KeyPair keys, boolean withPublicKey) throws IOException {
        ECPrivateKey key = (ECPrivateKey) keys.getPrivate();
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                key.getParams().getOrder().bitLength(), key.getS(),
                withPublicKey ? publicKey.getPublicKeyData() : null, publicKey.getAlgorithm().getParameters());
        return writePem(file, List.of(new PemObject("EC PRIVATE KEY", sec1.getEncoded())));
    }

    /** The PEM text of these blocks, as openssl writes them. */
    static String pem(List<?> blocks) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object block : blocks) {
                writer.writeObject(block);
            }
        }
        return text.toString();
    }

    static Path writePem(Path file, List<?> blocks) throws IOException {
        return Files.writeString(file, pem(blocks), StandardCharsets.US_ASCII);
    }

    /** Writes key and chain as a PKCS#12 keystore, with the JDK. */
    static Path writePkcs12(Path file, String password, PrivateKey key, X509Certificate... chain) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password.toCharArray(), chain);
            store.store(out, password.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
