package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.TestCerts.CA;
import static io.tailsrv.tls.internal.TestCerts.SERVER_EC;
import static io.tailsrv.tls.internal.TestCerts.SERVER_EXPIRED;
import static io.tailsrv.tls.internal.TestCerts.SERVER_NOT_YET_VALID;
import static io.tailsrv.tls.internal.TestCerts.SERVER_RSA;
import static io.tailsrv.tls.internal.TestCerts.keystore;
import static io.tailsrv.tls.internal.TestCerts.mutual;
import static io.tailsrv.tls.internal.TestCerts.pem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.api.TlsConfigException;
import io.tailsrv.tls.internal.Loopback.Connection;
import io.tailsrv.tls.internal.Pki.Issued;
import io.tailsrv.tls.internal.Pki.Usage;

/**
 * open(): every form of key and certificate it reads, served in a real
 * handshake, and every way a configuration fails, each naming its
 * property and file.
 */
class JsseTlsContextsTest extends TlsTestSupport {

    @Test
    void servesAnEcKeyInPkcs8WithItsChain() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertServes(pem(files[0], files[1]), SERVER_EC, CA.certificate());
    }

    @Test
    void servesAnEcKeyInSec1() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        Path key = Pki.writeTraditional(dir.resolve("key.pem"), SERVER_EC.keys());
        assertTrue(Files.readString(key).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertServes(pem(cert, key), SERVER_EC);
    }

    @Test
    void servesAnEcKeyInSec1WithoutItsOptionalPublicKey() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        Path key = Pki.writeSec1(dir.resolve("key.pem"), SERVER_EC.keys(), false);
        assertServes(pem(cert, key), SERVER_EC);
    }

    @Test
    void servesAnRsaKeyInPkcs1() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_RSA.certificate());
        Path key = Pki.writeTraditional(dir.resolve("key.pem"), SERVER_RSA.keys());
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertServes(pem(cert, key), SERVER_RSA);
    }

    @Test
    void servesAnRsaKeyInPkcs8() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_RSA.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_RSA.key());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertServes(pem(cert, key), SERVER_RSA);
    }

    @Test
    void servesOneFileHoldingKeyAndChainAsBoth() throws Exception {
        Path both = Pki.writePem(dir.resolve("both.pem"),
                List.of(new JcaPKCS8Generator(SERVER_EC.key(), null).generate(), SERVER_EC.certificate(),
                        CA.certificate()));
        assertServes(pem(both, both), SERVER_EC, CA.certificate());
    }

    @Test
    void readsPemWithTextAroundTheBlocks() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "subject=CN = localhost\nissuer=CN = test\n"
                + Pki.pem(List.of(SERVER_EC.certificate())) + "trailing words\n");
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertServes(pem(cert, key), SERVER_EC);
    }

    @Test
    void servesAPkcs12Keystore() throws Exception {
        Path store = Pki.writePkcs12(dir.resolve("server.p12"), "s3cret", SERVER_RSA.key(), SERVER_RSA.certificate(),
                CA.certificate());
        assertServes(keystore(store, "s3cret"), SERVER_RSA, CA.certificate());
    }

    @Test
    void servesAPkcs12KeystoreWithAnEmptyPassword() throws Exception {
        Path store = Pki.writePkcs12(dir.resolve("server.p12"), "", SERVER_EC.key(), SERVER_EC.certificate());
        assertServes(keystore(store, ""), SERVER_EC);
    }

    @Test
    void enginesAreServerSideWithTls13And12OnlyAndClientCertificatesOnlyWithClientCas() throws Exception {
        Path[] files = writePem(SERVER_EC);
        try (ServerTls plain = contexts.open("plain", pem(files[0], files[1]));
                ServerTls mutual = contexts.open("mutual", mutual(files[0], files[1], writeCa("ca.pem", CA)))) {
            SSLEngine engine = plain.newEngine("127.0.0.1", 40000);
            assertFalse(engine.getUseClientMode());
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
            assertFalse(engine.getNeedClientAuth());
            assertEquals("127.0.0.1", engine.getPeerHost());
            assertEquals(40000, engine.getPeerPort());
            // the JDK's own default cipher suites, as a server engine of a fresh context enables them
            SSLContext fresh = SSLContext.getInstance("TLS");
            fresh.init(null, null, null);
            SSLEngine jdkDefault = fresh.createSSLEngine();
            jdkDefault.setUseClientMode(false);
            assertEquals(List.of(jdkDefault.getEnabledCipherSuites()), List.of(engine.getEnabledCipherSuites()));
            assertTrue(mutual.newEngine("127.0.0.1", 40001).getNeedClientAuth());
        }
    }

    @Test
    void aClientOfTls12IsServedToo() throws Exception {
        Path[] files = writePem(SERVER_EC);
        try (ServerTls tls = contexts.open("web", pem(files[0], files[1]));
                Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(CA, null),
                        socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"}))) {
            assertNull(connection.serverFailure());
            assertEquals("TLSv1.2", connection.server().session().getProtocol());
            assertEquals("TLSv1.2", connection.client().socket().getSession().getProtocol());
        }
    }

    // ---- what fails, naming the property and the file ----

    @Test
    void aCertificateFileThatDoesNotExist() throws Exception {
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.cert", dir.resolve("nosuch.pem") + " does not exist", pem(dir.resolve("nosuch.pem"), key));
    }

    @Test
    void aKeyFileThatCannotBeRead() throws Exception {
        // root reads any file whatever its mode: run as another user, as tailsrv runs
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        Path[] files = writePem(SERVER_EC);
        Files.setPosixFilePermissions(files[1], PosixFilePermissions.fromString("---------"));
        assertFails("tls.key", files[1] + " cannot be read: permission denied", pem(files[0], files[1]));
    }

    @Test
    void aCertificatePathThatIsADirectory() throws Exception {
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.cert", dir + " is a directory", pem(dir, key));
    }

    @Test
    void aCertificateFileTooLargeToBeOne() throws Exception {
        Path big = dir.resolve("big.log");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[TlsFile.MAX_BYTES + 1]);
        }
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.cert", big + " is larger than 4 MiB", pem(big, key));
    }

    @Test
    void aCertificateFileThatIsNotPem() throws Exception {
        Path der = Files.write(dir.resolve("cert.der"), SERVER_EC.certificate().getEncoded());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.cert", der + " holds no PEM certificate", pem(der, key));
    }

    @Test
    void aCertificateFileHoldingOnlyAKey() throws Exception {
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.cert", key + " holds no PEM certificate", pem(key, key));
    }

    @Test
    void aCertificateFileWithABrokenBlock() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> contexts.open("web", pem(cert, key)));
        assertEquals("tls.cert", e.property());
        assertTrue(e.getMessage().startsWith("tls.cert: " + cert + " is not valid PEM: "), e.getMessage());
    }

    @Test
    void aKeyFileHoldingNoKey() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.key", files[0] + " holds no PEM private key", pem(files[0], files[0]));
    }

    @Test
    void aKeyFileThatDoesNotExist() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.key", dir.resolve("gone.pem") + " does not exist", pem(files[0], dir.resolve("gone.pem")));
    }

    @Test
    void anEncryptedPkcs8Key() throws Exception {
        Path[] files = writePem(SERVER_EC);
        // as openssl 3 encrypts: PBES2 with AES-256 (BouncyCastle's provider makes it here, in the test only)
        Path key = Pki.writePem(dir.resolve("encrypted.pem"), List.of(new JcaPKCS8Generator(SERVER_EC.key(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build()).generate()));
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertFails("tls.key", key + " holds an encrypted private key; it must be unencrypted", pem(files[0], key));
    }

    @Test
    void anEncryptedTraditionalKey() throws Exception {
        Path[] files = writePem(SERVER_RSA);
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(SERVER_RSA.keys(), new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        Path key = Files.writeString(dir.resolve("encrypted.pem"), text.toString());
        assertTrue(text.toString().contains("Proc-Type: 4,ENCRYPTED"), text.toString());
        assertFails("tls.key", key + " holds an encrypted private key; it must be unencrypted", pem(files[0], key));
    }

    @Test
    void twoKeysInTheKeyFile() throws Exception {
        Path[] files = writePem(SERVER_EC);
        Path key = Pki.writePem(dir.resolve("two.pem"), List.of(new JcaPKCS8Generator(SERVER_EC.key(), null).generate(),
                new JcaPKCS8Generator(SERVER_RSA.key(), null).generate()));
        assertFails("tls.key", key + " holds 2 private keys; one is needed", pem(files[0], key));
    }

    @Test
    void aKeyOfAnotherCertificate() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EXPIRED.key());
        assertFails("tls.key", "the key in " + key + " does not match the certificate in " + cert + " (CN=localhost)",
                pem(cert, key));
    }

    @Test
    void aKeyOfAnotherKind() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        Path key = Pki.writeTraditional(dir.resolve("key.pem"), SERVER_RSA.keys());
        assertFails("tls.key", "the key in " + key + " does not match the certificate in " + cert + " (CN=localhost)",
                pem(cert, key));
    }

    @Test
    void aChainWithItsLeafNotFirst() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), CA.certificate(), SERVER_EC.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key());
        assertFails("tls.key", "the key in " + key + " does not match the certificate in " + cert
                + " (CN=tailsrv test CA)", pem(cert, key));
    }

    @Test
    void aKeyTlsCannotUse() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("Ed25519");
        Issued edwards = Pki.leaf(CA, generator.generateKeyPair(), Pki.cn("edwards"), Usage.SERVER);
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), edwards.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), edwards.key());
        assertFails("tls.key", key + " holds a key of type EdDSA; RSA or EC is needed", pem(cert, key));
    }

    @Test
    void anExpiredCertificate() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EXPIRED.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EXPIRED.key());
        assertFails("tls.cert", "the certificate in " + cert + " (CN=expired) expired on "
                + SERVER_EXPIRED.certificate().getNotAfter().toInstant(), pem(cert, key));
    }

    @Test
    void aCertificateNotYetValid() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_NOT_YET_VALID.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_NOT_YET_VALID.key());
        assertFails("tls.cert", "the certificate in " + cert + " (CN=early) is not valid before "
                + SERVER_NOT_YET_VALID.certificate().getNotBefore().toInstant(), pem(cert, key));
    }

    @Test
    void aKeystoreWithAWrongPassword() throws Exception {
        Path store = Pki.writePkcs12(dir.resolve("server.p12"), "right", SERVER_EC.key(), SERVER_EC.certificate());
        assertFails("tls.keystore.password", "wrong password for " + store, keystore(store, "wrong"));
        assertFails("tls.keystore.password", "wrong password for " + store, keystore(store, ""));
    }

    @Test
    void aKeystoreThatIsNotPkcs12() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.keystore", files[0] + " is not a PKCS#12 keystore", keystore(files[0], "x"));
    }

    @Test
    void aKeystoreThatDoesNotExist() throws Exception {
        assertFails("tls.keystore", dir.resolve("none.p12") + " does not exist", keystore(dir.resolve("none.p12"), "x"));
    }

    @Test
    void aKeystoreWithoutAKey() throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
        try (var out = Files.newOutputStream(store)) {
            trust.store(out, "pw".toCharArray());
        }
        assertFails("tls.keystore", store + " holds no private key", keystore(store, "pw"));
    }

    @Test
    void aKeystoreWithAnExpiredCertificate() throws Exception {
        Path store = Pki.writePkcs12(dir.resolve("old.p12"), "pw", SERVER_EXPIRED.key(), SERVER_EXPIRED.certificate());
        assertFails("tls.keystore", "the certificate in " + store + " (CN=expired) expired on "
                + SERVER_EXPIRED.certificate().getNotAfter().toInstant(), keystore(store, "pw"));
    }

    @Test
    void anEmptyClientCaBundle() throws Exception {
        Path[] files = writePem(SERVER_EC);
        Path empty = Files.writeString(dir.resolve("ca.pem"), "");
        assertFails("tls.client.ca", empty + " holds no PEM certificate", mutual(files[0], files[1], empty));
    }

    @Test
    void aClientCaBundleThatIsNotPem() throws Exception {
        Path[] files = writePem(SERVER_EC);
        Path text = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n");
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> contexts.open("web", mutual(files[0], files[1], text)));
        assertEquals("tls.client.ca", e.property());
        assertTrue(e.getMessage().startsWith("tls.client.ca: " + text + " is not valid PEM: "), e.getMessage());
    }

    @Test
    void aClientCaBundleThatDoesNotExist() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.client.ca", dir.resolve("no-ca.pem") + " does not exist",
                mutual(files[0], files[1], dir.resolve("no-ca.pem")));
    }

    @Test
    void anAllowListWithoutClientCas() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.client.allow", "needs tls.client.ca (clients are asked for certificates only then)",
                new TlsConfig(files[0], files[1], null, null, null, List.of("reader")));
    }

    @Test
    void keystoreAndPemTogether() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.keystore", "set either it or tls.cert and tls.key, not both",
                new TlsConfig(files[0], files[1], files[0], "", null, List.of()));
    }

    @Test
    void aCertificateWithoutAKey() throws Exception {
        Path[] files = writePem(SERVER_EC);
        assertFails("tls.key", "missing (tls.cert is set)", new TlsConfig(files[0], null, null, "", null, List.of()));
    }

    @Test
    void aFailedOpenLeavesNoThreadBehind() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EXPIRED.certificate());
        Path key = Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EXPIRED.key());
        assertThrows(TlsConfigException.class, () -> contexts.open("web", pem(cert, key)));
        Threads.awaitNone(ReloadThread.NAME);
    }

    // ---- helpers ----

    private void assertFails(String property, String problem, TlsConfig config) {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> contexts.open("web", config));
        assertEquals(property, e.property());
        assertEquals(property + ": " + problem, e.getMessage());
    }

    /** Opens the configuration and checks, in a real handshake, that the client is shown {@code expected} and its chain. */
    private void assertServes(TlsConfig config, Issued expected, X509Certificate... rest) throws Exception {
        try (ServerTls tls = contexts.open("web", config);
                Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(CA, null),
                        socket -> { })) {
            assertNull(connection.serverFailure(), () -> String.valueOf(connection.serverFailure()));
            assertNull(connection.client().failure());
            assertEquals("TLSv1.3", connection.server().session().getProtocol());
            java.security.cert.Certificate[] chain = connection.client().socket().getSession().getPeerCertificates();
            assertEquals(expected.certificate(), chain[0]);
            assertEquals(List.of(rest), List.of(chain).subList(1, chain.length));
            connection.server().send("hello\n");
            assertEquals("hello\n", connection.client().read(6));
        }
    }
}
