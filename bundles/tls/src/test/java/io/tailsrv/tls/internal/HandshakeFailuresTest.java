package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.Pki.cn;
import static io.tailsrv.tls.internal.TestCerts.CA;
import static io.tailsrv.tls.internal.TestCerts.OTHER_CA;
import static io.tailsrv.tls.internal.TestCerts.SERVER_EC;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.ServerTls;
import io.tailsrv.tls.internal.Loopback.Connection;
import io.tailsrv.tls.internal.Pki.Issued;
import io.tailsrv.tls.internal.Pki.Usage;

/**
 * describe(): each reason a handshake fails, provoked by a real client over
 * loopback, and read from the exception the server's engine threw.
 */
class HandshakeFailuresTest extends TlsTestSupport {

    private ServerTls mutual;

    @BeforeEach
    void openMutual() throws Exception {
        Path[] files = writePem(SERVER_EC);
        mutual = contexts.open("web", TestCerts.mutual(files[0], files[1], writeCa("clients.pem", CA)));
    }

    @AfterEach
    void closeMutual() {
        mutual.close();
    }

    @Test
    void noClientCertificateInTls13() throws Exception {
        assertEquals("no client certificate", failure(Loopback.clientContext(CA, null), socket -> { }));
    }

    @Test
    void noClientCertificateInTls12() throws Exception {
        assertEquals("no client certificate", failure(Loopback.clientContext(CA, null),
                socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"})));
    }

    @Test
    void aClientCertificateOfAnotherCa() throws Exception {
        // the JDK's client offers only a certificate of a CA the server names; curl or openssl send theirs anyway
        Issued stranger = Pki.leaf(OTHER_CA, Pki.ec(), cn("reader"), Usage.CLIENT);
        assertEquals("unknown CA", failure(Loopback.pushyClientContext(CA, stranger), socket -> { }));
        assertEquals("unknown CA", failure(Loopback.pushyClientContext(CA, stranger),
                socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"})));
    }

    @Test
    void anExpiredClientCertificate() throws Exception {
        Issued expired = Pki.leaf(CA, Pki.ec(), cn("reader"), Usage.CLIENT,
                Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
        assertEquals("certificate expired", failure(Loopback.clientContext(CA, expired), socket -> { }));
    }

    @Test
    void aClientCertificateNotYetValid() throws Exception {
        Issued early = Pki.leaf(CA, Pki.ec(), cn("reader"), Usage.CLIENT,
                Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)));
        assertEquals("certificate not yet valid", failure(Loopback.clientContext(CA, early), socket -> { }));
    }

    @Test
    void noCommonCipherSuite() throws Exception {
        // an EC server certificate, and a client that offers only suites signed with RSA
        assertEquals("no common cipher suite", failure(Loopback.clientContext(CA, null), socket -> {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        }));
    }

    @Test
    void plainTextIsNotTls() throws Exception {
        // a record header is 5 bytes: the engine judges none shorter
        assertEquals("not TLS", rawFailure("-1000\n".getBytes(US_ASCII)));
        assertEquals("not TLS", rawFailure("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII)));
        assertEquals("not TLS", rawFailure(new byte[] {0x16, 0, 0, 0, 5, 1, 0, 0, 1, 0}));
    }

    @Test
    void garbageInHandshakeRecordsIsNotTlsEither() throws Exception {
        assertEquals("not TLS: Unknown handshake type size, Handshake.msg_type = 104",
                rawFailure(new byte[] {0x16, 3, 1, 0, 5, 'h', 'e', 'l', 'l', 'o'}));
        assertEquals("not TLS: Illegal handshake message: client_hello",
                rawFailure(new byte[] {0x16, 3, 1, 0, 5, 1, 0, 0, 1, 0}));
        assertEquals("not TLS: Unexpected handshake message: server_hello",
                rawFailure(new byte[] {0x16, 3, 3, 0, 4, 2, 0, 0, 0}));
    }

    @Test
    void protocolVersionsTooOld() throws Exception {
        Path security = Files.writeString(dir.resolve("old.security"), "jdk.tls.disabledAlgorithms=\n");
        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security,
                "-cp", Path.of(OldProtocolClient.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                OldProtocolClient.class.getName(), String.valueOf(loopback.port()), "TLSv1", "TLSv1.1", "SSLv3",
                "SSLv2Hello,TLSv1")
                .redirectErrorStream(true).start();
        List<String> reasons = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SSLException e = assertThrows(SSLException.class, () -> loopback.accept(Loopback.enginesOf(mutual)));
                reasons.add(mutual.describe(e));
            }
        } finally {
            String output = new String(client.getInputStream().readAllBytes(), US_ASCII);
            client.waitFor(Loopback.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of("protocol version too old (TLSv1)", "protocol version too old (TLSv1.1)",
                    "protocol version too old (SSLv3)", "protocol version too old (SSLv2)"), reasons, output);
        }
    }

    @Test
    void aClientHelloOfTls10WithoutExtensionsIsTooOld() throws Exception {
        // as clients older than TLS 1.3 send it: the version in the hello itself, no supported_versions
        assertEquals("protocol version too old (TLSv1)", rawFailure(legacyClientHello(1)));
        assertEquals("protocol version too old (SSLv3)", rawFailure(legacyClientHello(0)));
    }

    @Test
    void otherwiseTheEnginesOwnMessage() throws Exception {
        // a client that does not trust the server's CA says so with an alert
        Path[] files = writePem(SERVER_EC);
        try (ServerTls tls = contexts.open("plain", TestCerts.pem(files[0], files[1]));
                Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(OTHER_CA, null),
                        socket -> { })) {
            assertNotNull(connection.serverFailure());
            assertEquals("Received fatal alert: certificate_unknown", tls.describe(connection.serverFailure()));
        }
    }

    @Test
    void aMessageIsEscaped() {
        assertEquals("bad \\x1b[31mthing\\n", mutual.describe(new SSLException("bad \u001b[31mthing\n")));
    }

    /** How the server describes the failure of a handshake with this client. */
    private String failure(SSLContext client, Consumer<SSLSocket> configure) throws Exception {
        try (Connection connection = loopback.connect(Loopback.enginesOf(mutual), client, configure)) {
            assertNull(connection.server(), "the handshake succeeded");
            return mutual.describe(connection.serverFailure());
        }
    }

    /** A ClientHello of version 3.{@code minor}, offering one cipher suite, no compression, no extensions. */
    private static byte[] legacyClientHello(int minor) {
        ByteBuffer hello = ByteBuffer.allocate(50);
        hello.put((byte) 0x16).put((byte) 3).put((byte) minor).putShort((short) 45); // record: handshake, 45 bytes
        hello.put((byte) 1).put((byte) 0).putShort((short) 41); // ClientHello, 41 bytes
        hello.put((byte) 3).put((byte) minor).put(new byte[32]).put((byte) 0); // version, random, no session
        hello.putShort((short) 2).putShort((short) 0x002f); // TLS_RSA_WITH_AES_128_CBC_SHA
        hello.put((byte) 1).put((byte) 0); // null compression
        return hello.array();
    }

    /** How the server describes a handshake with a client that sends these bytes. */
    private String rawFailure(byte[] sent) throws IOException {
        try (Socket client = new Socket(loopback.listenerAddress(), loopback.port())) {
            client.getOutputStream().write(sent);
            SSLException e = assertThrows(SSLException.class, () -> loopback.accept(Loopback.enginesOf(mutual)));
            return mutual.describe(e);
        }
    }
}
