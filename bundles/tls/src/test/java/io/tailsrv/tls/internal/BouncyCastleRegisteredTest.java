package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.TestCerts.CA;
import static io.tailsrv.tls.internal.TestCerts.SERVER_EC;
import static io.tailsrv.tls.internal.TestCerts.SERVER_RSA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.ServerTls;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.tls.internal.Loopback.Connection;
import io.tailsrv.tls.internal.Pki.Issued;

/**
 * In a JVM where BouncyCastle is a registered JCA provider, as Karaf
 * registers it: the keys read must still be ones the JDK's TLS serves
 * (BouncyCastle names an EC key "ECDSA", a name only its own provider
 * answers, with a key SunJSSE does not take for EC).
 */
class BouncyCastleRegisteredTest extends TlsTestSupport {

    @BeforeAll
    static void register() {
        Security.addProvider(new BouncyCastleProvider());
    }

    @AfterAll
    static void unregister() {
        Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
    }

    @Test
    void anEcKeyInPkcs8() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        assertServes(TestCerts.pem(cert, Pki.writePkcs8(dir.resolve("key.pem"), SERVER_EC.key())), SERVER_EC);
    }

    @Test
    void anEcKeyInSec1() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_EC.certificate());
        assertServes(TestCerts.pem(cert, Pki.writeTraditional(dir.resolve("key.pem"), SERVER_EC.keys())), SERVER_EC);
    }

    @Test
    void anRsaKeyInPkcs1() throws Exception {
        Path cert = Pki.writeChain(dir.resolve("cert.pem"), SERVER_RSA.certificate());
        assertServes(TestCerts.pem(cert, Pki.writeTraditional(dir.resolve("key.pem"), SERVER_RSA.keys())), SERVER_RSA);
    }

    private void assertServes(TlsConfig config, Issued expected) throws Exception {
        try (ServerTls tls = contexts.open("web", config);
                Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(CA, null),
                        socket -> { })) {
            assertNull(connection.serverFailure());
            assertEquals(expected.certificate(), connection.client().serverCertificate());
        }
    }
}
