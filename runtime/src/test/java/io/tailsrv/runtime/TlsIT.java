package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.await;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as clients meet it, over loopback against the assembled
 * {@code bin/tailsrv}: Java's SSLSocket, {@code openssl s_client} and
 * {@code socat OPENSSL:}, with certificates the tests make (a CA, a server
 * certificate, client certificates, an expired one, one from another CA).
 */
class TlsIT {

    private static final int HANDSHAKING = 2000;
    /** Clients of each kind that come and go before a memory count (see idleTlsClientsHoldNoBuffers). */
    private static final int WARM_UP = 200;

    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    private static Pki pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        assumeTrue(Pki.available(), "openssl is not installed: no certificates to test TLS with");
        pki = Pki.make(certs);
    }

    private String[] tls(String... more) {
        List<String> args = new ArrayList<>(List.of("--tls-cert", pki.file("server.pem").toString(),
                "--tls-key", pki.file("server-key.pem").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private TailsrvProcess serve(Path file, int port, String... tlsArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-p", "" + port));
        args.addAll(List.of(tlsArgs));
        args.add(file.toString());
        return TailsrvProcess.start(args.toArray(String[]::new)).awaitListening();
    }

    @Test
    void streamsByteExactOverTlsAppendsIncluded() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("big.log");
        Files.write(file, content);
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls());
                SSLSocket socket = pki.connect(port, null)) {
            socket.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals(content, socket.getInputStream().readNBytes(content.length));
            append(file, "appended\n");
            assertEquals("appended\n", new String(socket.getInputStream().readNBytes(9), StandardCharsets.US_ASCII));
            assertTrue(Arrays.asList("TLSv1.3", "TLSv1.2").contains(socket.getSession().getProtocol()));
            server.awaitLog("connected: requested 0, starting at 0 of " + content.length, WAIT);
        }
    }

    /**
     * A client's close_notify is answered with the server's, and the connection closed: Java's SSLSocket waits
     * for that answer (up to its read timeout, here 10 s) before it closes.
     */
    @Test
    void aClientsCloseNotifyIsAnsweredAtOnce() throws Exception {
        Path file = write(dir, "bye.log", "hello\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls())) {
            SSLSocket socket = pki.connect(port, null);
            socket.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello\n", new String(socket.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            socket.close();
            long closing = System.nanoTime() - started;
            server.awaitLog("gone after 6 bytes: closed by the client \\(close_notify\\)", WAIT);
            assertTrue(closing < TimeUnit.SECONDS.toNanos(2), "close took " + closing / 1e6 + " ms");
        }
    }

    @Test
    void opensslAndSocatFollowTheFile() throws Exception {
        Path file = write(dir, "tools.log", "line one\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls())) {
            Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-CAfile", pki.file("ca.pem").toString(), "-verify_return_error", "-quiet", "-ign_eof")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Process socat = new ProcessBuilder("socat", "-", "OPENSSL:127.0.0.1:" + port + ",cafile="
                    + pki.file("ca.pem") + ",verify=1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                for (Process tool : List.of(openssl, socat)) {
                    tool.getOutputStream().write("-9\n".getBytes(StandardCharsets.US_ASCII));
                    tool.getOutputStream().flush();
                    assertEquals("line one\n", readExactly(tool.getInputStream(), 9));
                }
                append(file, "line two\n");
                assertEquals("line two\n", readExactly(openssl.getInputStream(), 9), "openssl s_client follows");
                assertEquals("line two\n", readExactly(socat.getInputStream(), 9), "socat follows");
            } finally {
                openssl.destroyForcibly();
                socat.destroyForcibly();
            }
        }
    }

    @Test
    void optionalServesPlainAndTlsClientsOnOnePort() throws Exception {
        Path file = write(dir, "both.log", "0123456789");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls("--tls", "optional"));
                Client plain = Client.request(port, "0");
                SSLSocket encrypted = pki.connect(port, null)) {
            encrypted.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("0123456789", plain.readString(10));
            assertEquals("0123456789", new String(encrypted.getInputStream().readNBytes(10), StandardCharsets.US_ASCII));
            append(file, "+");
            assertEquals("+", plain.readString(1));
            assertEquals('+', encrypted.getInputStream().read());
        }
    }

    @Test
    void requiredClosesAPlainConnectionWithoutAByte() throws Exception {
        Path file = write(dir, "secret.log", "secret");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls());
                Client plain = Client.request(port, "0")) {
            assertTrue(plain.closedByServer(), "closed");
            server.awaitLog("rejected: plain text on a TLS-only port", WAIT);
        }
    }

    @Test
    void mutualTlsRefusesWhatItShouldAndSaysWhy() throws Exception {
        Path reader = pki.client("reader", "ca", "reader.example.com", "DNS:reader.example.com");
        Path wildcard = pki.client("ops", "ca", "someone", "DNS:db1.ops.example.com");
        Path intruder = pki.client("intruder", "ca", "intruder.example.com", null);
        Path stranger = pki.client("stranger", "other-ca", "reader.example.com", null);
        Path expired = pki.expiredClient("expired", "ca");
        Path file = write(dir, "mutual.log", "for readers\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, tls("--tls-client-ca", pki.file("ca.pem").toString(),
                "--tls-client-allow", "reader.example.com,*.ops.example.com"))) {
            for (Path allowed : List.of(reader, wildcard)) {
                try (SSLSocket socket = pki.connect(port, allowed)) {
                    socket.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("for readers\n", new String(socket.getInputStream().readNBytes(12),
                            StandardCharsets.US_ASCII), allowed.getFileName() + " is admitted");
                }
            }
            server.awaitLog("connected as reader.example.com: requested 0", WAIT);

            assertRefused(port, null, server, "no client certificate");
            // Java's client presents only a certificate of a CA the server names, and checks no dates: openssl
            // presents the certificate it is given
            assertRefusedToOpenssl(port, stranger, server, "unknown CA");
            assertRefusedToOpenssl(port, expired, server, "expired");
            assertRefused(port, intruder, server, "identity not allowed");
            Process old = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_1",
                    "-cipher", "DEFAULT@SECLEVEL=0").redirectErrorStream(true).start();
            old.getOutputStream().close();
            assertTrue(old.waitFor(20, TimeUnit.SECONDS));
            server.awaitLog("rejected: TLS handshake failed: protocol version too old", WAIT);
            System.out.println("TlsIT refusals:\n  " + String.join("\n  ", server.logged("rejected: ")));
        }
    }

    /** The client cannot get a byte of the file, and the server logs one line saying why. */
    private static void assertRefused(int port, Path p12, TailsrvProcess server, String why) throws Exception {
        try (SSLSocket socket = pki.connect(port, p12)) {
            socket.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (SSLException | java.net.SocketException refused) {
                first = -1;
            }
            assertEquals(-1, first, "no byte for " + p12);
        } catch (SSLException | java.net.SocketException refusedDuringHandshake) {
            // the server said no in the handshake itself
        }
        server.awaitLog("rejected: .*" + why, WAIT);
    }

    /** As {@link #assertRefused}, with {@code openssl s_client} presenting the PEM certificate beside {@code p12}. */
    private static void assertRefusedToOpenssl(int port, Path p12, TailsrvProcess server, String why) throws Exception {
        String name = p12.getFileName().toString().replace(".p12", "");
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-CAfile", pki.file("ca.pem").toString(), "-cert", pki.file(name + ".pem").toString(),
                "-key", pki.file(name + "-key.pem").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            openssl.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            openssl.getOutputStream().flush();
            assertTrue(openssl.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "openssl s_client ended: refused");
            assertEquals("", new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII),
                    "no byte for " + name);
        } finally {
            openssl.destroyForcibly();
        }
        server.awaitLog("rejected: .*" + why, WAIT);
    }

    @Test
    void aRenewedCertificateServesNewConnectionsWhileOldOnesStream() throws Exception {
        Path tlsDir = Files.createDirectories(dir.resolve("tls"));
        Path cert = Files.copy(pki.file("server.pem"), tlsDir.resolve("cert.pem"));
        Path key = Files.copy(pki.file("server-key.pem"), tlsDir.resolve("key.pem"));
        Path file = write(dir, "renew.log", "before\n");
        int port = Client.freePort();
        try (TailsrvProcess server = serve(file, port, "--tls-cert", cert.toString(), "--tls-key", key.toString());
                SSLSocket streaming = pki.connect(port, null)) {
            streaming.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("before\n", new String(streaming.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
            X509Certificate first = (X509Certificate) streaming.getSession().getPeerCertificates()[0];

            pki.client("server2", "ca", "localhost", "DNS:localhost,IP:127.0.0.1"); // a key of its own
            Path aside = Files.copy(pki.file("server2.pem"), tlsDir.resolve(".cert.new"));
            Path asideKey = Files.copy(pki.file("server2-key.pem"), tlsDir.resolve(".key.new"));
            Files.move(asideKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(aside, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            server.awaitLog("certificate reloaded", WAIT);

            try (SSLSocket fresh = pki.connect(port, null)) {
                fresh.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("before\n", new String(fresh.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
                X509Certificate second = (X509Certificate) fresh.getSession().getPeerCertificates()[0];
                assertNotEquals(first.getSerialNumber(), second.getSerialNumber(), "a new connection gets the new one");
            }
            append(file, "after\n");
            assertEquals("after\n", new String(streaming.getInputStream().readNBytes(6), StandardCharsets.US_ASCII),
                    "the connection made before keeps streaming");
        }
    }

    @Test
    void aHalfFinishedHandshakeIsClosedAtTheHeaderTimeout() throws Exception {
        Path file = write(dir, "slow.log", "x");
        int port = Client.freePort();
        ConfigDir config = ConfigDir.under(dir);
        config.serve("slow", file, port, "tls.cert = " + pki.file("server.pem"), "tls.key = " + pki.file("server-key.pem"),
                "header.timeout = 1");
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("slow");
                Socket stuck = new Socket()) {
            stuck.connect(new InetSocketAddress("127.0.0.1", port));
            stuck.setSoTimeout((int) WAIT.toMillis());
            stuck.getOutputStream().write(clientHelloStart());
            long start = System.nanoTime();
            assertEquals(-1, TestSupport.readOrReset(stuck.getInputStream()), "closed");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.9 && seconds < 5, "closed after " + seconds + " s");
            server.awaitLog("rejected: no header within 1.0 s", WAIT);
        }
    }

    /**
     * 2000 connections that stop in the middle of their TLS handshake do
     * not keep out a client that completes its own: they count against
     * max.pending, and the one waiting longest makes room.
     */
    @Test
    void connectionsStuckMidHandshakeDoNotKeepOutARealClient() throws Exception {
        Path file = write(dir, "crowd.log", "served\n");
        int port = Client.freePort();
        ConfigDir config = ConfigDir.under(dir);
        config.serve("crowd", file, port, "tls.cert = " + pki.file("server.pem"),
                "tls.key = " + pki.file("server-key.pem"), "max.pending = 500");
        List<SocketChannel> stuck = new ArrayList<>();
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("crowd")) {
            long slowest = 0;
            for (int i = 0; i < HANDSHAKING; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap(clientHelloStart()));
                stuck.add(channel);
                if (i % 400 == 399) {
                    long started = System.nanoTime();
                    try (SSLSocket real = pki.connect(port, null)) {
                        real.getOutputStream().write("0\n".getBytes(StandardCharsets.US_ASCII));
                        assertEquals("served\n", new String(real.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
                    }
                    slowest = Math.max(slowest, System.nanoTime() - started);
                }
            }
            System.out.printf("TlsIT handshaking: %d connections stuck mid-handshake (max.pending 500); a real TLS"
                    + " client served each time, in %.1f ms at most%n", HANDSHAKING, slowest / 1e6);
            assertTrue(slowest < TimeUnit.SECONDS.toNanos(2), slowest / 1e6 + " ms");
            assertTrue(server.logged("waited longest in its handshake").size() >= HANDSHAKING - 500 - 10);
        } finally {
            for (SocketChannel channel : stuck) {
                channel.close();
            }
        }
    }

    @Test
    void aBadCertificateSettingFailsNamingTheProperty() throws Exception {
        Path file = write(dir, "x.log", "x");
        Path notAKey = write(dir, "not-a-key.pem", "hello\n");
        try (TailsrvProcess cli = TailsrvProcess.start("-p", "" + Client.freePort(), "--tls-cert",
                pki.file("server.pem").toString(), "--tls-key", notAKey.toString(), file.toString())) {
            assertEquals(1, cli.awaitExit(WAIT));
            assertTrue(cli.stderr().stream().anyMatch(line -> line.contains("FAILED: tls.key: ")), cli.stderr().toString());
        }
        try (TailsrvProcess cli = TailsrvProcess.start("-p", "" + Client.freePort(), "--tls-cert",
                pki.file("server.pem").toString(), "--tls-key", pki.file("other-ca-key.pem").toString(),
                file.toString())) {
            assertEquals(1, cli.awaitExit(WAIT));
            assertTrue(cli.stderr().stream().anyMatch(line -> line.contains("FAILED: tls.key: ")), cli.stderr().toString());
        }
    }

    /**
     * 1000 idle TLS clients cost at most 30 MiB more than 1000 idle plain ones: buffers are held only in flight.
     * Each count is of a fresh server configured alike (TLS optional) and warmed alike (a few hundred plain and
     * TLS clients come and go first, so that what the JVM spends once, compiling and loading the TLS code,
     * is in both), after 1000 clients of one kind.
     */
    @Test
    void idleTlsClientsHoldNoBuffers() throws Exception {
        Path file = write(dir, "idle.log", "x");
        long plain = residentWith(file, Client.freePort(), 1000, false);
        long encrypted = residentWith(file, Client.freePort(), 1000, true);
        System.out.printf("TlsIT idle: 1000 idle clients: %d MiB resident plain, %d MiB with TLS%n",
                plain >> 20, encrypted >> 20);
        assertTrue(encrypted - plain <= 30L << 20, (encrypted - plain >> 20) + " MiB more");
    }

    private long residentWith(Path file, int port, int clients, boolean tls) throws Exception {
        List<Socket> open = new ArrayList<>();
        try (TailsrvProcess server = serve(file, port, tls("--tls", "optional"))) {
            for (int i = 0; i < WARM_UP; i++) {
                connectIdle(port, true).close();
                connectIdle(port, false).close();
            }
            for (int i = 0; i < clients; i++) {
                open.add(connectIdle(port, tls));
            }
            await("all " + clients + " streaming", WAIT,
                    () -> server.logged("connected: requested -1").size() >= clients + 2 * WARM_UP);
            ProcFs.heapUsedAfterFullGc(server.pid()); // what is garbage goes, so that only what is held counts
            return ProcFs.residentBytes(server.pid());
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    /** A client that asked for the last byte, has it, and reads no more. */
    private static Socket connectIdle(int port, boolean tls) throws Exception {
        Socket socket = tls ? pki.connect(port, null) : new Socket("127.0.0.1", port);
        socket.getOutputStream().write("-1\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals('x', socket.getInputStream().read());
        return socket;
    }

    /** The first bytes of a ClientHello: a TLS handshake record header and no more. */
    private static byte[] clientHelloStart() {
        return new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
    }

    /** {@code n} bytes from a process's output, or a failure after {@link TestSupport#WAIT}. */
    private static String readExactly(InputStream in, int n) throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return new String(read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.US_ASCII);
        } catch (TimeoutException e) {
            throw new AssertionError("no " + n + " bytes within " + WAIT);
        }
    }
}
