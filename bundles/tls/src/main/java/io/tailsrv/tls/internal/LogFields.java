package io.tailsrv.tls.internal;

/**
 * The structured field this bundle's records carry, as SLF4J key-value
 * pairs: the journal field the launcher writes with {@code --journald}
 * (the server bundle's {@code LogFields} names the same field; a journal
 * field's name is a contract of its own, so it is repeated here rather than
 * exported from there).
 */
final class LogFields {

    /** The instance's name: {@code journalctl TAILSRV_INSTANCE=web} finds its records. */
    static final String INSTANCE = "TAILSRV_INSTANCE";

    private LogFields() {
    }
}
