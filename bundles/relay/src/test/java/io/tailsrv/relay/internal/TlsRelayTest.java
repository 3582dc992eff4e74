package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.Relay;
import io.tailsrv.api.RelayConfig.Upstream;
import io.tailsrv.api.RelayConfigException;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.RelayStatus.State;
import io.tailsrv.api.TlsClientConfig;

/** An upstream over TLS (a real TLS server on loopback), with and without the relay's own certificate. */
class TlsRelayTest extends RelayTestSupport {

    private TestCertificates certificates;
    private Path origin;

    @BeforeEach
    void certificatesAndOrigin() throws Exception {
        Files.createDirectory(dir.resolve("pki"));
        certificates = TestCertificates.make(dir.resolve("pki"));
        origin = Files.write(dir.resolve("origin.log"), randomBytes(3 << 20, 40));
    }

    @Test
    void followsAnUpstreamOverTls() throws Exception {
        TestUpstream upstream = closedAfter(TestUpstream.tls(origin, certificates.serverContext(), false));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        Relay relay = follow(config(file, new TlsClientConfig(certificates.ca, null, null), null, upstream.upstream()),
                events);

        events.await(State.FOLLOWING, WAIT);
        append(origin, randomBytes(100_000, 41));
        awaitSize(file, Files.size(origin));
        assertSameBytes(origin, file);
        awaitLag(relay, lag -> lag == 0);
    }

    @Test
    void followsAnUpstreamThatWantsTheRelaysCertificate() throws Exception {
        TestUpstream upstream = closedAfter(TestUpstream.tls(origin, certificates.serverContext(), true));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        follow(config(file, new TlsClientConfig(certificates.ca, certificates.clientCert, certificates.clientKey), null,
                upstream.upstream()), events);

        events.await(State.FOLLOWING, WAIT);
        awaitSize(file, Files.size(origin));
        assertSameBytes(origin, file);
    }

    @Test
    void withoutTheCertificateAnUpstreamThatWantsOneIsNotFollowed() throws Exception {
        TestUpstream upstream = closedAfter(TestUpstream.tls(origin, certificates.serverContext(), true));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        follow(config(file, new TlsClientConfig(certificates.ca, null, null), null, upstream.upstream()), events);

        RelayStatus refused = events.await(State.BACKING_OFF, WAIT);
        assertTrue(refused.reason().startsWith("upstream " + upstream.upstream() + ": TLS: "), refused.reason());
        assertEquals(0, Files.size(file));
    }

    @Test
    void anUpstreamWhoseCertificateNoTrustedCaSignedIsNotFollowed() throws Exception {
        Files.createDirectory(dir.resolve("other"));
        TestCertificates other = TestCertificates.make(dir.resolve("other"));
        TestUpstream upstream = closedAfter(TestUpstream.tls(origin, other.serverContext(), false));
        Path file = dir.resolve("relay.log");
        StatusEvents events = new StatusEvents();

        follow(config(file, new TlsClientConfig(certificates.ca, null, null), null, upstream.upstream()), events);

        RelayStatus refused = events.await(State.BACKING_OFF, WAIT);
        assertTrue(refused.reason().startsWith("upstream " + upstream.upstream() + ": TLS: "), refused.reason());
        assertEquals(0, Files.size(file));
    }

    @Test
    void theRelaysClientTlsIsClosedWithIt() throws Exception {
        TestUpstream upstream = closedAfter(TestUpstream.tls(origin, certificates.serverContext(), false));
        Relay relay = relays.follow(config(dir.resolve("relay.log"), new TlsClientConfig(certificates.ca, null, null),
                null, upstream.upstream()), new StatusEvents());
        assertEquals(1, tlsContexts.open.get());

        relay.close();

        assertEquals(0, tlsContexts.open.get());
    }

    @Test
    void tlsWithoutTheTlsBundleIsAConfigurationErrorNamingTheCas() {
        UpstreamRelays withoutTls = new UpstreamRelays(null, QUICK);
        try {
            RelayConfigException refused = assertThrows(RelayConfigException.class,
                    () -> withoutTls.follow(config(dir.resolve("relay.log"),
                            new TlsClientConfig(certificates.ca, null, null), null, new Upstream("localhost", 1)), new StatusEvents()));
            assertEquals(InstanceConfig.UPSTREAM_TLS_CA, refused.property());
            assertTrue(refused.getMessage().contains("io.tailsrv.tls"), refused.getMessage());
        } finally {
            withoutTls.deactivate();
        }
    }
}
