package io.tailsrv.server.internal.config;

/**
 * The structured fields of the log records that concern an instance, a client
 * or a file, attached as SLF4J key-value pairs. The launcher writes them as
 * journal fields with {@code --journald} (so that {@code journalctl
 * TAILSRV_INSTANCE=web} finds one instance's records); on stderr they are
 * left out, as the message already says the same.
 */
public final class LogFields {

    /** The instance's name. */
    public static final String INSTANCE = "TAILSRV_INSTANCE";
    /** The instance's TCP port. */
    public static final String PORT = "TAILSRV_PORT";
    /** The file it serves, as configured. */
    public static final String FILE = "TAILSRV_FILE";
    /** A client's address and port. */
    public static final String PEER = "TAILSRV_PEER";
    /** A TLS client's identity: its certificate's subject CN, or else its first subject alternative name. */
    public static final String IDENTITY = "TAILSRV_IDENTITY";
    /** A client's offset in the file: where it starts, or where it got to when it goes. */
    public static final String OFFSET = "TAILSRV_OFFSET";
    /** A count of bytes: the file's size, or what a client was sent. */
    public static final String BYTES = "TAILSRV_BYTES";

    private LogFields() {
    }
}
