package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.Pki.cn;
import static io.tailsrv.tls.internal.TestCerts.CA;
import static io.tailsrv.tls.internal.TestCerts.OTHER_CA;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import io.tailsrv.api.ServerTls;
import io.tailsrv.tls.internal.Loopback.Connection;
import io.tailsrv.tls.internal.Pki.Issued;
import io.tailsrv.tls.internal.Pki.Usage;
import io.tailsrv.tls.internal.RecordedLog.Entry;

/**
 * Renewal, with the real inotify FileWatch: certificate and key rewritten
 * in place, replaced by renames, deleted and made again, or made bad; new
 * connections get what the files hold once they are good, connections made
 * before keep going, and a bad renewal leaves the certificate in use and
 * says so once.
 */
class RenewalTest extends TlsTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Issued FIRST = Pki.leaf(CA, Pki.ec(), cn("first"), Usage.SERVER);
    private static final Issued SECOND = Pki.leaf(CA, Pki.ec(), cn("second.example"), Usage.SERVER);
    private static final Issued THIRD = Pki.leaf(CA, Pki.rsa(), cn("third"), Usage.SERVER);

    @Test
    void rewrittenInPlaceNewConnectionsGetTheNewCertificateAndOldOnesGoOn() throws Exception {
        Path[] files = writePem(FIRST);
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]));
                Connection before = connect(tls)) {
            assertEquals(FIRST.certificate(), before.client().serverCertificate());
            SSLEngine madeBefore = tls.newEngine("127.0.0.1", 1);
            int mark = RecordedLog.mark();

            // as a renewal that writes over the files does (truncating each, then writing): certificate, then key.
            // A rewrite in place is seen by its change of size, which the certificate's has (the README says so).
            long oldSize = Files.size(files[0]);
            Pki.writeChain(files[0], SECOND.certificate(), CA.certificate());
            Pki.writePkcs8(files[1], SECOND.key());
            assertNotEquals(oldSize, Files.size(files[0]));

            awaitReloaded(mark, "web", files[0], SECOND);
            assertEquals(SECOND.certificate(), serverCertificateSeen(tls));
            try (Connection withOldEngine = loopback.connect(socket -> madeBefore, Loopback.clientContext(CA, null),
                    socket -> { })) {
                assertEquals(FIRST.certificate(), withOldEngine.client().serverCertificate(),
                        "an engine keeps the context it was made with");
            }
            assertStreams(before);
            assertEquals(List.of(), RecordedLog.since(mark, e -> e.level() == Level.ERROR));
        }
    }

    @Test
    void replacedByRenamesAgainAndAgain() throws Exception {
        Path[] files = writePem(FIRST);
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]));
                Connection before = connect(tls)) {
            int mark = RecordedLog.mark();
            renameInto(files, SECOND);
            awaitReloaded(mark, "web", files[0], SECOND);
            assertEquals(SECOND.certificate(), serverCertificateSeen(tls));

            // the files that went were followed at their paths anew: the next renewal is seen too
            mark = RecordedLog.mark();
            renameInto(files, THIRD);
            awaitReloaded(mark, "web", files[0], THIRD);
            assertEquals(THIRD.certificate(), serverCertificateSeen(tls));
            assertStreams(before);
        }
    }

    @Test
    void aKeyThatDoesNotMatchKeepsTheCertificateInUseAndIsLoggedOnce() throws Exception {
        Path[] files = writePem(FIRST);
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]))) {
            int mark = RecordedLog.mark();
            Path stray = Pki.writePkcs8(dir.resolve(".stray.pem"), SECOND.key());
            Files.copy(stray, files[1], StandardCopyOption.REPLACE_EXISTING);

            Entry error = RecordedLog.await(mark, e -> e.level() == Level.ERROR, WAIT);
            assertEquals("[web] TLS certificate not reloaded, the one in use stays: tls.key: the key in " + files[1]
                    + " does not match the certificate in " + files[0] + " (CN=first)", error.message());
            assertEquals(Map.of(LogFields.INSTANCE, "web"), error.fields());
            assertEquals(FIRST.certificate(), serverCertificateSeen(tls));

            // the same bad key once more: the failure is the same, and it is not logged again
            Files.move(Files.copy(stray, dir.resolve(".again.pem")), files[1], StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            RecordedLog.await(mark, e -> e.level() == Level.DEBUG && e.message().startsWith(
                    "[web] TLS files still unusable, the certificate in use stays: tls.key: the key in "), WAIT);
            assertEquals(FIRST.certificate(), serverCertificateSeen(tls));

            renameInto(files, SECOND);
            awaitReloaded(mark, "web", files[0], SECOND);
            assertEquals(SECOND.certificate(), serverCertificateSeen(tls));
            assertEquals(1, RecordedLog.since(mark, e -> e.level() == Level.ERROR).size(),
                    () -> RecordedLog.since(0, e -> true).toString());
        }
    }

    @Test
    void anExpiredRenewalKeepsTheCertificateInUse() throws Exception {
        Path[] files = writePem(FIRST);
        Issued expired = Pki.leaf(CA, Pki.ec(), cn("stale"), Usage.SERVER,
                Instant.now().minus(Duration.ofDays(90)), Instant.now().minus(Duration.ofDays(2)));
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]))) {
            int mark = RecordedLog.mark();
            renameInto(files, expired);
            Entry error = RecordedLog.await(mark, e -> e.level() == Level.ERROR, WAIT);
            assertEquals("[web] TLS certificate not reloaded, the one in use stays: tls.cert: the certificate in "
                    + files[0] + " (CN=stale) expired on " + expired.certificate().getNotAfter().toInstant(),
                    error.message());
            assertEquals(FIRST.certificate(), serverCertificateSeen(tls));
        }
    }

    @Test
    void aKeyDeletedThenMadeAgain() throws Exception {
        Path[] files = writePem(FIRST);
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]))) {
            int mark = RecordedLog.mark();
            Files.delete(files[1]);
            Entry error = RecordedLog.await(mark, e -> e.level() == Level.ERROR, WAIT);
            assertEquals("[web] TLS certificate not reloaded, the one in use stays: tls.key: " + files[1]
                    + " does not exist", error.message());
            assertEquals(FIRST.certificate(), serverCertificateSeen(tls));

            // the path is watched for: it appears, written in one go by a rename, with the certificate before it
            Files.move(Pki.writeChain(dir.resolve(".cert.new"), SECOND.certificate()), files[0],
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(Pki.writePkcs8(dir.resolve(".key.new"), SECOND.key()), files[1], StandardCopyOption.ATOMIC_MOVE);
            awaitReloaded(mark, "web", files[0], SECOND);
            assertEquals(SECOND.certificate(), serverCertificateSeen(tls));
        }
    }

    @Test
    void aRenewedKeystore() throws Exception {
        Path store = Pki.writePkcs12(dir.resolve("server.p12"), "pw", FIRST.key(), FIRST.certificate());
        try (ServerTls tls = contexts.open("web", TestCerts.keystore(store, "pw"))) {
            int mark = RecordedLog.mark();
            Files.move(Pki.writePkcs12(dir.resolve(".server.p12.new"), "pw", THIRD.key(), THIRD.certificate()), store,
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitReloaded(mark, "web", store, THIRD);
            assertEquals(THIRD.certificate(), serverCertificateSeen(tls));
        }
    }

    @Test
    void aChangedClientCaBundleAppliesToNewConnections() throws Exception {
        Path[] files = writePem(FIRST);
        Path clientCas = writeCa("clients.pem", CA);
        Issued ours = Pki.leaf(CA, Pki.ec(), cn("reader"), Usage.CLIENT);
        Issued theirs = Pki.leaf(OTHER_CA, Pki.ec(), cn("partner"), Usage.CLIENT);
        try (ServerTls tls = contexts.open("web", TestCerts.mutual(files[0], files[1], clientCas))) {
            assertEquals("unknown CA", handshakeFailure(tls, theirs));
            int mark = RecordedLog.mark();
            Files.move(Pki.writeChain(dir.resolve(".clients.new"), OTHER_CA.certificate()), clientCas,
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitReloaded(mark, "web", files[0], FIRST);
            assertNull(handshakeFailure(tls, theirs));
            assertEquals("unknown CA", handshakeFailure(tls, ours));
        }
    }

    @Test
    void oneThreadReloadsForEveryInstanceWhileSomeUsesTls() throws Exception {
        Threads.awaitNone(ReloadThread.NAME);
        Path[] files = writePem(FIRST);
        ServerTls one = contexts.open("one", TestCerts.pem(files[0], files[1]));
        ServerTls two = contexts.open("two", TestCerts.pem(files[0], files[1]));
        int mark = RecordedLog.mark();
        renameInto(files, SECOND);
        Entry first = awaitReloaded(mark, null, files[0], SECOND);
        Entry second = RecordedLog.await(mark, e -> e.message().contains(" TLS certificate reloaded ") && e != first, WAIT);
        assertEquals(List.of("[one]", "[two]"), List.of(first.message().split(" ")[0], second.message().split(" ")[0])
                .stream().sorted().toList());
        assertEquals(1, Threads.named(ReloadThread.NAME).size());
        one.close();
        assertEquals(1, Threads.named(ReloadThread.NAME).size());
        two.close();
        Threads.awaitNone(ReloadThread.NAME);
    }

    @Test
    void aReloadWatchingTheFilesAnewIsNoChangeOfItsOwn() throws Exception {
        Path[] files = writePem(FIRST);
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        Path[] witnessFiles = {
            Pki.writeChain(otherDir.resolve("cert.pem"), FIRST.certificate()),
            Pki.writePkcs8(otherDir.resolve("key.pem"), FIRST.key()),
        };
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]));
                ServerTls witness = contexts.open("witness", TestCerts.pem(witnessFiles[0], witnessFiles[1]))) {
            int mark = RecordedLog.mark();
            renameInto(files, SECOND);
            awaitReloaded(mark, "web", files[0], SECOND);
            // a reload that took its own watching for a change would reload again a quiet period later,
            // before the witness, changed after it, reloads on the same thread
            Files.move(Pki.writeChain(otherDir.resolve(".c"), SECOND.certificate()), witnessFiles[0],
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(Pki.writePkcs8(otherDir.resolve(".k"), SECOND.key()), witnessFiles[1],
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitReloaded(mark, "witness", witnessFiles[0], SECOND);
            assertEquals(1, RecordedLog.since(mark, e -> e.message().startsWith("[web]")).size(),
                    () -> RecordedLog.since(mark, e -> true).toString());
        }
    }

    @Test
    void closeStopsFollowingTheFiles() throws Exception {
        Path[] closedFiles = writePem(FIRST);
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        Path[] openFiles = {
            Pki.writeChain(otherDir.resolve("cert.pem"), FIRST.certificate()),
            Pki.writePkcs8(otherDir.resolve("key.pem"), FIRST.key()),
        };
        ServerTls closed = contexts.open("closed", TestCerts.pem(closedFiles[0], closedFiles[1]));
        try (ServerTls open = contexts.open("open", TestCerts.pem(openFiles[0], openFiles[1]))) {
            closed.close();
            int mark = RecordedLog.mark();
            renameInto(closedFiles, SECOND);
            // the closed instance's change comes first: had it been seen, its reload would have come first too
            Files.move(Pki.writeChain(otherDir.resolve(".c"), SECOND.certificate()), openFiles[0],
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(Pki.writePkcs8(otherDir.resolve(".k"), SECOND.key()), openFiles[1],
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitReloaded(mark, "open", openFiles[0], SECOND);
            assertEquals(List.of(), RecordedLog.since(mark, e -> e.message().startsWith("[closed]")));
        }
    }

    // ---- helpers ----

    /** Replaces cert.pem and key.pem by renames, as a deploy hook should: written aside, then moved into place. */
    private void renameInto(Path[] files, Issued next) throws IOException {
        Path cert = Pki.writeChain(dir.resolve(".cert.pem.new"), next.certificate(), CA.certificate());
        Path key = Pki.writePkcs8(dir.resolve(".key.pem.new"), next.key());
        Files.move(cert, files[0], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(key, files[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits for the info line of a reload of {@code instance} (any, if null) that shows {@code issued}. */
    private static Entry awaitReloaded(int mark, String instance, Path file, Issued issued) throws InterruptedException {
        String tail = " TLS certificate reloaded from " + file + ": subject "
                + issued.certificate().getSubjectX500Principal().getName() + ", valid until "
                + issued.certificate().getNotAfter().toInstant();
        Entry reloaded = RecordedLog.await(mark, e -> e.level() == Level.INFO && e.message().endsWith(tail)
                && (instance == null || e.message().equals("[" + instance + "]" + tail)), WAIT);
        assertEquals(reloaded.message().substring(1, reloaded.message().indexOf(']')),
                reloaded.fields().get(LogFields.INSTANCE));
        return reloaded;
    }

    private Connection connect(ServerTls tls) throws Exception {
        Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(CA, null), socket -> { });
        assertNull(connection.serverFailure());
        return connection;
    }

    /** The certificate a new client is shown. */
    private X509Certificate serverCertificateSeen(ServerTls tls) throws Exception {
        try (Connection connection = connect(tls)) {
            return connection.client().serverCertificate();
        }
    }

    /** What the server says of a handshake with a client presenting {@code client}; null if it succeeded. */
    private String handshakeFailure(ServerTls tls, Issued client) throws Exception {
        try (Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.pushyClientContext(CA, client),
                socket -> { })) {
            return connection.serverFailure() == null ? null : tls.describe(connection.serverFailure());
        }
    }

    /** Application data still flows both ways on a connection made earlier. */
    private static void assertStreams(Connection connection) throws IOException {
        connection.server().send("still here\n");
        assertEquals("still here\n", connection.client().read(11));
        connection.client().socket().getOutputStream().write("ack\n".getBytes(US_ASCII));
        assertEquals("ack\n", connection.server().receive(4));
    }
}
