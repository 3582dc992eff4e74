package io.tailsrv.tls.internal;

import static io.tailsrv.tls.internal.Pki.cn;
import static io.tailsrv.tls.internal.Pki.dns;
import static io.tailsrv.tls.internal.Pki.noSubject;
import static io.tailsrv.tls.internal.Pki.uri;
import static io.tailsrv.tls.internal.TestCerts.CA;
import static io.tailsrv.tls.internal.TestCerts.SERVER_EC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.ServerTls;
import io.tailsrv.api.ServerTls.ClientIdentity;
import io.tailsrv.api.TlsConfig;
import io.tailsrv.tls.internal.Loopback.Connection;
import io.tailsrv.tls.internal.Pki.Issued;
import io.tailsrv.tls.internal.Pki.Usage;

/**
 * identify(): who a client is and whether {@code tls.client.allow} admits
 * it, from the session of a real mutual-TLS handshake (the corner cases of
 * the wildcard, from names alone).
 */
class ClientIdentityTest extends TlsTestSupport {

    @Test
    void anyCertificateTheCaSignedWhenNoAllowList() throws Exception {
        assertEquals(new ClientIdentity("reader", null), identify(client(cn("reader"))));
    }

    @Test
    void anAllowedCommonName() throws Exception {
        assertEquals(new ClientIdentity("reader", null), identify(client(cn("reader")), "reader"));
    }

    @Test
    void commonNamesCompareWithoutCase() throws Exception {
        assertEquals(new ClientIdentity("Reader", null), identify(client(cn("Reader")), "READER"));
    }

    @Test
    void anAllowedDnsNameOfACertificateWithoutSubject() throws Exception {
        assertEquals(new ClientIdentity("collector.example.com", null),
                identify(client(noSubject(), dns("collector.example.com")), "Collector.Example.COM"));
    }

    @Test
    void anAllowedDnsNameBesideACommonNameNotAllowed() throws Exception {
        assertEquals(new ClientIdentity("backup job", null),
                identify(client(cn("backup job"), dns("b.example.com")), "b.example.com"));
    }

    @Test
    void aWildcardAdmitsOneLabel() throws Exception {
        assertEquals(new ClientIdentity("a.example.com", null),
                identify(client(noSubject(), dns("a.example.com")), "*.example.com"));
        assertEquals(new ClientIdentity("node7.example.com", null),
                identify(client(cn("node7.example.com")), "*.EXAMPLE.com"));
    }

    @Test
    void aWildcardAdmitsNeitherTheDomainNorTwoLabels() throws Exception {
        assertEquals(new ClientIdentity("example.com", "identity not allowed: CN=(none), SAN=DNS:example.com"),
                identify(client(noSubject(), dns("example.com")), "*.example.com"));
        assertEquals(new ClientIdentity("a.b.example.com", "identity not allowed: CN=a.b.example.com, SAN=(none)"),
                identify(client(cn("a.b.example.com")), "*.example.com"));
    }

    @Test
    void anAllowedUri() throws Exception {
        assertEquals(new ClientIdentity("spiffe://example.org/reader", null),
                identify(client(noSubject(), uri("spiffe://example.org/reader")), "spiffe://example.org/reader"));
    }

    @Test
    void urisCompareExactly() throws Exception {
        assertEquals(new ClientIdentity("spiffe://example.org/Reader",
                        "identity not allowed: CN=(none), SAN=URI:spiffe://example.org/Reader"),
                identify(client(noSubject(), uri("spiffe://example.org/Reader")), "spiffe://example.org/reader"));
    }

    @Test
    void theNameIsTheCommonNameElseTheFirstDnsNameElseTheFirstUri() throws Exception {
        assertEquals("cn", identify(client(cn("cn"), uri("urn:first"), dns("first.example"))).name());
        assertEquals("first.example", identify(client(noSubject(), uri("urn:first"), dns("first.example"),
                dns("second.example"))).name());
        assertEquals("urn:first", identify(client(noSubject(), uri("urn:first"), uri("urn:second"))).name());
    }

    @Test
    void aRefusalNamesCommonNameAndEveryAlternativeName() throws Exception {
        ClientIdentity refused = identify(client(cn("mallory"), dns("mallory.example.org"), uri("urn:x:mallory"),
                dns("m.example.org")), "reader", "*.example.com");
        assertEquals(new ClientIdentity("mallory", "identity not allowed: CN=mallory, "
                + "SAN=DNS:mallory.example.org, DNS:m.example.org, URI:urn:x:mallory"), refused);
        assertFalse(refused.admitted());
    }

    @Test
    void whatACertificateSaysIsEscapedInNameAndRefusal() throws Exception {
        ClientIdentity refused = identify(client(cn("evil\n2026-12-07 INFO [web] forged\u001b[31m\u2028"),
                dns("x\r.example.org")), "reader");
        assertEquals("evil\\n2026-12-07 INFO [web] forged\\x1b[31m\\u2028", refused.name());
        assertEquals("identity not allowed: CN=evil\\n2026-12-07 INFO [web] forged\\x1b[31m\\u2028, "
                + "SAN=DNS:x\\r.example.org", refused.refusal());
    }

    @Test
    void noCertificateAskedForNoIdentity() throws Exception {
        Path[] files = writePem(SERVER_EC);
        try (ServerTls tls = contexts.open("web", TestCerts.pem(files[0], files[1]));
                Connection connection = loopback.connect(Loopback.enginesOf(tls),
                        Loopback.clientContext(CA, client(cn("reader"))), socket -> { })) {
            ClientIdentity identity = tls.identify(connection.server().session());
            assertNull(identity.name());
            assertTrue(identity.admitted());
        }
    }

    // ---- the wildcard's corner cases, from names alone ----

    @Test
    void wildcardCornerCases() {
        ClientAllowList allow = new ClientAllowList(List.of("*.example.com", "exact.example.net"));
        assertTrue(allow.admits(names("a.example.com")));
        assertTrue(allow.admits(names("A-1.Example.Com")));
        assertFalse(allow.admits(names("example.com")), "the domain itself");
        assertFalse(allow.admits(names(".example.com")), "an empty label");
        assertFalse(allow.admits(names("a.b.example.com")), "two labels");
        assertFalse(allow.admits(names("*.example.com")), "a certificate named with the wildcard itself");
        assertFalse(allow.admits(names("aexample.com")));
        assertFalse(allow.admits(names("a.example.com.")), "a trailing dot is another name");
        assertFalse(allow.admits(names("a.exact.example.net")), "an exact pattern is no wildcard");
        assertTrue(allow.admits(names("EXACT.example.net")));
        assertFalse(allow.admits(new ClientNames(null, List.of(), List.of("a.example.com"), "")),
                "a wildcard applies to CNs and DNS names, not to URIs");
    }

    @Test
    void refusalsListAtMostEightAlternativeNames() {
        List<String> many = List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10");
        assertEquals("CN=(none), SAN=DNS:n1, DNS:n2, DNS:n3, DNS:n4, DNS:n5, DNS:n6, DNS:n7, DNS:n8, ... (2 more)",
                new ClientNames(null, many, List.of(), "").describe());
    }

    // ---- helpers ----

    private static ClientNames names(String dnsName) {
        return new ClientNames(null, List.of(dnsName), List.of(), "");
    }

    private static Issued client(X500Name subject, GeneralName... alternativeNames) {
        return Pki.leaf(CA, Pki.ec(), subject, Usage.CLIENT, alternativeNames);
    }

    /** The identity the server finds, after a mutual-TLS handshake with {@code client}, under that allow list. */
    private ClientIdentity identify(Issued client, String... allow) throws Exception {
        Path[] files = writePem(SERVER_EC);
        TlsConfig config = TestCerts.mutual(files[0], files[1], writeCa("clients.pem", CA), allow);
        try (ServerTls tls = contexts.open("web", config);
                Connection connection = loopback.connect(Loopback.enginesOf(tls), Loopback.clientContext(CA, client),
                        socket -> { })) {
            assertNull(connection.serverFailure());
            return tls.identify(connection.server().session());
        }
    }
}
