package io.tailsrv.launcher.logging;

import java.util.Locale;

import org.slf4j.event.Level;

/**
 * Where tailsrv's log records go. Logging belongs to the launcher: the
 * framework exports the launcher's SLF4J to every bundle, and the SLF4J
 * provider on the launcher's class path is this package's. Records at or
 * above the level of system property {@value #LEVEL_PROPERTY} (trace, debug,
 * info, warn, error; default info) go to stderr, or, after
 * {@link #sendToJournal()}, to the systemd journal.
 */
public final class Logging {

    public static final String LEVEL_PROPERTY = "tailsrv.log.level";

    private static final LogSink STDERR = new StderrSink();
    private static volatile LogSink sink = STDERR;

    private Logging() {
    }

    /** From now on, every record goes to the journal ({@code --journald}). */
    public static void sendToJournal() {
        sink = new JournalSink(JournalSocket.PATH, STDERR);
    }

    static void write(LogRecord record) {
        sink.write(record);
    }

    /** The least severe level logged. */
    static Level threshold() {
        String configured = System.getProperty(LEVEL_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(configured.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("tailsrv: " + LEVEL_PROPERTY + "=" + configured
                    + " is not trace, debug, info, warn or error; logging at info");
            return Level.INFO;
        }
    }
}
