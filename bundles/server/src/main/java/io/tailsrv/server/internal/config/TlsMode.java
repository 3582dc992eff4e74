package io.tailsrv.server.internal.config;

import java.util.Locale;

/** Whether an instance's port speaks TLS: the values of {@code tls}. */
public enum TlsMode {
    /** Plain clients only; a TLS ClientHello is refused like any malformed header. */
    OFF,
    /** Plain and TLS clients on one port, told apart by their first byte (0x16 opens TLS). */
    OPTIONAL,
    /** TLS clients only: a plain connection is closed without a byte. */
    REQUIRED;

    /** The value as written in a configuration. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
