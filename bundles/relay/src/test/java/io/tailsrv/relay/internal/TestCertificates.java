package io.tailsrv.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by openssl for a test: a CA, the upstream's
 * certificate for {@code localhost} and 127.0.0.1, and the relay's client
 * certificate, as PEM files (keys PKCS#8), as an operator would have them;
 * and the JDK's SSLContexts made from those files.
 */
final class TestCertificates {

    final Path ca;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;

    private TestCertificates(Path dir) {
        ca = dir.resolve("ca.pem");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
    }

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        TestCertificates made = new TestCertificates(dir);
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=tailsrv test CA", "-keyout", caKey.toString(), "-out", made.ca.toString());
        issue(dir, made, caKey, "server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        issue(dir, made, caKey, "client", "/CN=relay.test", "subjectAltName=DNS:relay.test");
        return made;
    }

    /** The upstream's side: its certificate, and the CA its clients' certificates must chain to. */
    SSLContext serverContext() throws IOException, GeneralSecurityException {
        return context(serverCert, serverKey, ca);
    }

    /** A relay's side, as a {@code TlsContexts.client} makes it: whom to trust and, if {@code cert}, who to be. */
    static SSLContext clientContext(Path ca, Path cert, Path key) throws IOException, GeneralSecurityException {
        return context(cert, key, ca);
    }

    private static SSLContext context(Path cert, Path key, Path ca) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int n = 0;
        for (Certificate certificate : certificates(ca)) {
            trusted.setCertificateEntry("ca" + n++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (cert != null) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            char[] password = "test".toCharArray();
            own.setKeyEntry("me", privateKey(key), password, certificates(cert).toArray(Certificate[]::new));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    private static void issue(Path dir, TestCertificates made, Path caKey, String name, String subject,
            String extension) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path request = dir.resolve(name + ".csr");
        Path extensions = Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
                "-keyout", key.toString(), "-out", request.toString());
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", made.ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out",
                dir.resolve(name + ".pem").toString());
    }

    private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
