package io.tailsrv.tls.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.filewatch.internal.InotifyFileWatch;
import io.tailsrv.tls.internal.Pki.Issued;

/**
 * What the tests of open() and its engines share: the real inotify
 * FileWatch, outside OSGi, the component made on it as DS would, a scratch
 * directory, and a loopback listener.
 */
abstract class TlsTestSupport {

    @TempDir
    Path dir;

    final InotifyFileWatch fileWatch = new InotifyFileWatch();
    JsseTlsContexts contexts;
    Loopback loopback;

    @BeforeEach
    void start() throws IOException {
        fileWatch.activate();
        contexts = new JsseTlsContexts(fileWatch);
        loopback = new Loopback();
    }

    @AfterEach
    void stop() throws IOException {
        loopback.close();
        contexts.deactivate();
        fileWatch.deactivate();
    }

    /** Writes the certificate (chain: it, then its CA) and its key, PKCS#8, as cert.pem and key.pem. */
    Path[] writePem(Issued server) throws IOException {
        return new Path[] {
            Pki.writeChain(dir.resolve("cert.pem"), server.certificate(), TestCerts.CA.certificate()),
            Pki.writePkcs8(dir.resolve("key.pem"), server.key()),
        };
    }

    Path writeCa(String name, Issued... cas) throws IOException {
        java.security.cert.X509Certificate[] certificates = new java.security.cert.X509Certificate[cas.length];
        for (int i = 0; i < cas.length; i++) {
            certificates[i] = cas[i].certificate();
        }
        return Pki.writeChain(dir.resolve(name), certificates);
    }
}
