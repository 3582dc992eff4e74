package io.tailsrv.tls.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.tailsrv.api.ServerTls.ClientIdentity;

/**
 * {@code tls.client.allow}: which client certificates may stream. A pattern
 * admits a certificate whose subject CN, DNS name or URI name is the
 * pattern; CNs and DNS names compare without regard to case, as DNS does,
 * URIs exactly. {@code *.example.com} admits a CN or DNS name of exactly one
 * more label ({@code a.example.com}, not {@code example.com} nor
 * {@code a.b.example.com}), as RFC 6125 has it for server names; a wildcard
 * applies to CNs and DNS names only.
 */
final class ClientAllowList {

    private final boolean empty;
    /** Every pattern but the wildcards, lower-cased: for CNs and DNS names. */
    private final Set<String> names = new HashSet<>();
    /** Every pattern but the wildcards, as written: for URIs. */
    private final Set<String> uris = new HashSet<>();
    /** {@code example.com} for each {@code *.example.com}, lower-cased. */
    private final Set<String> wildcardParents = new HashSet<>();

    ClientAllowList(List<String> patterns) {
        empty = patterns.isEmpty();
        for (String pattern : patterns) {
            String lower = pattern.toLowerCase(Locale.ROOT);
            if (lower.startsWith("*.")) {
                wildcardParents.add(lower.substring(2));
            } else {
                names.add(lower);
                uris.add(pattern);
            }
        }
    }

    /** The identity of the client whose handshake {@code session} is, and whether it is admitted. */
    ClientIdentity identify(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            // no certificate was asked for (no tls.client.ca), so no identity is required
            return new ClientIdentity(null, empty ? null : "identity not allowed: no client certificate");
        }
        ClientNames client = ClientNames.of((X509Certificate) chain[0]);
        return new ClientIdentity(client.name(), admits(client) ? null : "identity not allowed: " + client.describe());
    }

    boolean admits(ClientNames client) {
        if (empty) {
            return true;
        }
        if (client.commonName() != null && matchesName(client.commonName())) {
            return true;
        }
        for (String dnsName : client.dnsNames()) {
            if (matchesName(dnsName)) {
                return true;
            }
        }
        for (String uri : client.uris()) {
            if (uris.contains(uri)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (names.contains(lower)) {
            return true;
        }
        int dot = lower.indexOf('.');
        // the wildcard stands for exactly one label, and a real one: a certificate named
        // *.example.com is no one under example.com
        return dot > 0 && wildcardParents.contains(lower.substring(dot + 1)) && lower.lastIndexOf('*', dot) < 0;
    }
}
