package io.tailsrv.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for the TLS tests, made with the openssl command the way the
 * README's recipe makes them (a CA, a server certificate for localhost and
 * 127.0.0.1, client certificates), plus what the recipe does not make: one
 * from another CA, and an expired one (keytool can backdate; openssl 3.0's
 * x509 cannot). EC P-256 throughout. And TLS clients that use them.
 */
final class Pki {

    static final String PASSWORD = "changeit";

    final Path dir;

    private Pki(Path dir) {
        this.dir = dir;
    }

    /** Whether openssl is installed (the tests that need it skip, saying so, if not). */
    static boolean available() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A CA, a server certificate and key, and the PKCS#12 of each client certificate asked for. */
    static Pki make(Path dir) throws Exception {
        Pki pki = new Pki(Files.createDirectories(dir));
        pki.authority("ca", "tailsrv test CA");
        pki.signed("server", "ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        pki.authority("other-ca", "someone else's CA");
        return pki;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** A client certificate {@code name}.pem (and .p12) with {@code cn}, signed by {@code ca}, with optional SANs. */
    Path client(String name, String ca, String cn, String san) throws Exception {
        signed(name, ca, cn, san == null ? "basicConstraints=CA:FALSE" : "subjectAltName=" + san);
        run("openssl", "pkcs12", "-export", "-in", name + ".pem", "-inkey", name + "-key.pem", "-out", name + ".p12",
                "-passout", "pass:" + PASSWORD, "-name", name);
        return file(name + ".p12");
    }

    /** A client certificate of {@code ca} that expired yesterday (keytool backdates it), as PKCS#12. */
    Path expiredClient(String name, String ca) throws Exception {
        run("openssl", "pkcs12", "-export", "-in", ca + ".pem", "-inkey", ca + "-key.pem", "-out", ca + ".p12",
                "-passout", "pass:" + PASSWORD, "-name", ca);
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + name);
        run("keytool", "-gencert", "-alias", ca, "-keystore", ca + ".p12", "-storepass", PASSWORD,
                "-infile", name + ".csr", "-outfile", name + ".pem", "-rfc", "-startdate", "-3d", "-validity", "1");
        run("openssl", "pkcs12", "-export", "-in", name + ".pem", "-inkey", name + "-key.pem", "-out", name + ".p12",
                "-passout", "pass:" + PASSWORD, "-name", name);
        return file(name + ".p12");
    }

    /** A TLS client of 127.0.0.1:{@code port}, trusting the test CA, presenting {@code p12} if not null. */
    SSLSocket connect(int port, Path p12) throws Exception {
        SSLSocket socket = (SSLSocket) context(p12).getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** An SSLContext trusting the test CA (only), with {@code p12}'s key and chain if not null. */
    SSLContext context(Path p12) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(file("ca.pem")));
        TrustManagerFactory trusting = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusting.init(trust);
        KeyManagerFactory keys = null;
        if (p12 != null) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                own.load(in, PASSWORD.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trusting.getTrustManagers(), null);
        return context;
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private void authority(String name, String cn) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "30", "-subj", "/CN=" + cn);
    }

    private void signed(String name, String ca, String cn, String extension) throws Exception {
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + cn);
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + ".pem", "-days", "30", "-extfile", name + ".ext");
    }

    /** Runs a command in {@link #dir}; fails with its output if it fails. */
    String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
