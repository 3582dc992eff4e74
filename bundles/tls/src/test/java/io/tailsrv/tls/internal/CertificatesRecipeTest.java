package io.tailsrv.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.ServerTls;
import io.tailsrv.api.ServerTls.ClientIdentity;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.tls.internal.Loopback.Connection;

/**
 * The README's recipe for certificates, run as written with openssl, and
 * what it makes served: the server's PEM files and its PKCS#12 file, a
 * client presenting the certificate made for it (read by the JDK alone).
 */
class CertificatesRecipeTest extends TlsTestSupport {

    private static final Path README = Path.of(System.getProperty("basedir", "."), "../../README.md");
    private static final String SECTION = "### A certificate authority of your own";

    @Test
    void theReadmesOpensslCommandsMakeWhatTlsServes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path script = Files.writeString(dir.resolve("recipe.sh"), recipe());
        Process openssl = new ProcessBuilder("sh", "-e", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String said = new String(openssl.getInputStream().readAllBytes(), US_ASCII);
        assertTrue(openssl.waitFor(Loopback.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), said);

        TlsConfig pem = new TlsConfig(dir.resolve("server.pem"), dir.resolve("server.key"), null, null,
                dir.resolve("ca.pem"), List.of("reader1"));
        try (ServerTls tls = contexts.open("web", pem);
                Connection connection = loopback.connect(Loopback.enginesOf(tls), reader1(), socket -> { })) {
            assertNull(connection.serverFailure());
            X509Certificate server = connection.client().serverCertificate();
            assertEquals("CN=logs.example.com", server.getSubjectX500Principal().getName());
            assertEquals(List.of(List.of(2, "logs.example.com"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                    List.copyOf(server.getSubjectAlternativeNames()));
            assertEquals(new ClientIdentity("reader1", null), tls.identify(connection.server().session()));
        }

        TlsConfig keystore = new TlsConfig(null, null, dir.resolve("server.p12"), "secret", null, List.of());
        try (ServerTls tls = contexts.open("web", keystore);
                Connection connection = loopback.connect(Loopback.enginesOf(tls), reader1(), socket -> { })) {
            assertNull(connection.serverFailure());
            assertEquals("CN=logs.example.com", connection.client().serverCertificate().getSubjectX500Principal().getName());
        }
    }

    /** The README's lines: the indented block after the section's heading, as they are. */
    private static String recipe() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf(SECTION);
        assertTrue(heading >= 0, "the README has " + SECTION);
        int line = heading + 1;
        while (!lines.get(line).startsWith("    ")) {
            line++;
        }
        List<String> block = new ArrayList<>();
        for (; lines.get(line).startsWith("    ") || lines.get(line).isBlank(); line++) {
            block.add(lines.get(line).isBlank() ? "" : lines.get(line).substring(4));
        }
        assertTrue(block.size() > 10, block.toString());
        return String.join("\n", block) + "\n";
    }

    /** A client context of the JDK's own: trusting ca.pem, presenting reader1.pem with reader1.key. */
    private SSLContext reader1() throws Exception {
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        X509Certificate ca;
        X509Certificate reader;
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            ca = (X509Certificate) certificates.generateCertificate(in);
        }
        try (InputStream in = Files.newInputStream(dir.resolve("reader1.pem"))) {
            reader = (X509Certificate) certificates.generateCertificate(in);
        }
        String key = Files.readString(dir.resolve("reader1.key")).replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey readerKey = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry("reader1", readerKey, "x".toCharArray(), new X509Certificate[] {reader});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
