package io.tailsrv.tls.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLProtocolException;

import io.tailsrv.api.LogText;

/**
 * Why a server-side handshake failed, in a few words for one log line.
 *
 * <p>The JDK says why in the exception's causes (the checks of a client's
 * certificate) or only in its message (the protocol's own checks): the
 * messages matched here are those of the JDK's SunJSSE, checked against
 * real handshakes by the tests. Anything else is told by the exception's
 * own message, escaped.
 */
final class HandshakeFailures {

    /** SunJSSE, on a ClientHello whose supported_versions extension names none the server enables. */
    private static final Pattern VERSIONS_NOT_ACCEPTED = Pattern.compile(
            "The client supported protocol versions \\[(.*)\\] are not accepted by server preferences .*");
    /** SunJSSE, on a ClientHello without that extension (older clients) of a version the server does not enable. */
    private static final Pattern VERSION_NOT_ENABLED =
            Pattern.compile("Client requested protocol (\\S+) is not enabled or supported in server context");

    private HandshakeFailures() {
    }

    static String describe(SSLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "certificate expired";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "certificate not yet valid";
            }
            if (cause instanceof CertPathBuilderException) {
                return "unknown CA"; // no path from the client's certificate to a CA of tls.client.ca
            }
        }
        String message = String.valueOf(failure.getMessage());
        for (Pattern tooOld : new Pattern[] {VERSIONS_NOT_ACCEPTED, VERSION_NOT_ENABLED}) {
            Matcher version = tooOld.matcher(message);
            if (version.matches()) {
                return "protocol version too old (" + LogText.escape(version.group(1)) + ")";
            }
        }
        if (message.contains("SSLv2Hello")) {
            // a ClientHello in SSLv2's format, which no TLS 1.2 client sends
            return "protocol version too old (SSLv2)";
        }
        if (message.equals("Empty client certificate chain")) {
            return "no client certificate";
        }
        if (message.equals("no cipher suites in common")) {
            return "no common cipher suite";
        }
        if (message.endsWith("plaintext connection?")) {
            return "not TLS"; // the record layer's verdict: no TLS record header
        }
        if (failure instanceof SSLProtocolException || message.startsWith("Illegal handshake message")) {
            // TLS records, holding what no client sends (unexpected_message, or a ClientHello that does not parse)
            return "not TLS: " + LogText.escape(message);
        }
        return LogText.escape(message);
    }
}
