package io.tailsrv.tls.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import io.tailsrv.api.LogText;

/**
 * The names a client certificate gives its subject, as the certificate has
 * them (not escaped: they are matched against {@code tls.client.allow}
 * first, and escaped only when shown).
 *
 * @param commonName the subject's CN (the last, most specific, if there are several), or null
 * @param dnsNames the DNS subject alternative names, in order
 * @param uris the URI subject alternative names, in order
 * @param subject the whole subject (RFC 2253), for a certificate that has none of those
 */
record ClientNames(String commonName, List<String> dnsNames, List<String> uris, String subject) {

    /** GeneralName tags (RFC 5280) of the subject alternative names read here. */
    private static final int DNS_NAME = 2;
    private static final int URI = 6;
    /** Names shown in a refusal, at most: a log line stays a line. */
    private static final int SHOWN = 8;

    static ClientNames of(X509Certificate certificate) {
        List<String> dnsNames = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        Collection<List<?>> alternatives;
        try {
            alternatives = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            alternatives = null; // a CA signed it and the JDK validated it; an unreadable extension names no one
        }
        if (alternatives != null) {
            for (List<?> alternative : alternatives) {
                Object tag = alternative.get(0);
                Object value = alternative.get(1);
                if (value instanceof String text && tag instanceof Integer type) {
                    if (type == DNS_NAME) {
                        dnsNames.add(text);
                    } else if (type == URI) {
                        uris.add(text);
                    }
                }
            }
        }
        return new ClientNames(commonName(certificate), dnsNames, uris,
                certificate.getSubjectX500Principal().getName());
    }

    private static String commonName(X509Certificate certificate) {
        RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cns.length == 0) {
            return null;
        }
        ASN1Encodable value = cns[cns.length - 1].getFirst().getValue();
        return value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value);
    }

    /** Who the client is, escaped: its CN, else its first DNS or URI name, else its whole subject. */
    String name() {
        String name = commonName != null ? commonName
                : !dnsNames.isEmpty() ? dnsNames.get(0)
                : !uris.isEmpty() ? uris.get(0)
                : subject;
        return LogText.escape(name);
    }

    /** {@code CN=..., SAN=DNS:..., URI:...}, escaped, for a refusal. */
    String describe() {
        List<String> alternatives = new ArrayList<>();
        dnsNames.forEach(name -> alternatives.add("DNS:" + name));
        uris.forEach(uri -> alternatives.add("URI:" + uri));
        StringBuilder text = new StringBuilder("CN=").append(commonName == null ? "(none)" : commonName);
        text.append(", SAN=");
        if (alternatives.isEmpty()) {
            text.append("(none)");
        } else {
            text.append(String.join(", ", alternatives.subList(0, Math.min(SHOWN, alternatives.size()))));
            if (alternatives.size() > SHOWN) {
                text.append(", ... (").append(alternatives.size() - SHOWN).append(" more)");
            }
        }
        return LogText.escape(text);
    }
}
