package io.tailsrv.tls.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

/**
 * Why a server-side handshake failed, in a few words for one log line.
 *
 * <p>The JDK says why in the exception's cause (certificate checks) or only
 * in its message (the protocol's own checks): the messages matched here are
 * those of the JDK's SunJSSE, checked against real handshakes by the tests.
 * Anything else is told by the exception's own message, escaped.
 */
final class HandshakeFailures {

    /** SunJSSE, on a ClientHello whose highest version the server does not enable. */
    private static final Pattern VERSION_NOT_ENABLED =
            Pattern.compile("Client requested protocol (\\S+) is not enabled or supported in server context");
    /** SunJSSE, on a ClientHello whose supported_versions extension names none the server enables. */
    private static final Pattern VERSIONS_NOT_ACCEPTED =
            Pattern.compile("The client supported protocol versions \\[([^\\]]*)\\] are not accepted by server preferences.*");

    private HandshakeFailures() {
    }

    static String describe(SSLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String certificate = certificateReason(cause);
            if (certificate != null) {
                return certificate;
            }
        }
        String message = String.valueOf(failure.getMessage());
        Matcher version = VERSION_NOT_ENABLED.matcher(message);
        if (version.matches()) {
            return "protocol version too old (" + LogText.escape(version.group(1)) + ")";
        }
        version = VERSIONS_NOT_ACCEPTED.matcher(message);
        if (version.matches()) {
            return "protocol version too old (" + LogText.escape(version.group(1)) + ")";
        }
        if (message.contains("Unsupported SSL v2.0 ClientHello") || message.contains("SSLv2Hello is not enabled")) {
            return "protocol version too old (SSLv2)";
        }
        if (message.equals("Empty client certificate chain")) {
            return "no client certificate";
        }
        if (message.equals("no cipher suites in common")) {
            return "no common cipher suite";
        }
        if (message.startsWith("Unsupported or unrecognized SSL message")) {
            return "not TLS";
        }
        return LogText.escape(message);
    }

    private static String certificateReason(Throwable cause) {
        if (cause instanceof CertificateExpiredException) {
            return "certificate expired";
        }
        if (cause instanceof CertificateNotYetValidException) {
            return "certificate not yet valid";
        }
        if (cause instanceof CertPathBuilderException) {
            return "unknown CA";
        }
        if (cause instanceof CertPathValidatorException invalid) {
            if (invalid.getReason() == BasicReason.EXPIRED) {
                return "certificate expired";
            }
            if (invalid.getReason() == BasicReason.NOT_YET_VALID) {
                return "certificate not yet valid";
            }
            if (invalid.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                return "unknown CA";
            }
        }
        return null;
    }
}
