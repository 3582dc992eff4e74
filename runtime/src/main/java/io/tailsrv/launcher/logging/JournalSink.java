package io.tailsrv.launcher.logging;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.slf4j.event.Level;

/**
 * Every record to the systemd journal. A record the journal does not take
 * (journald not running, say) goes to stderr instead; the first such failure
 * is said once on stderr, and records keep going to stderr for as long as
 * the journal cannot be reached.
 */
final class JournalSink implements LogSink {

    private final String path;
    private final LogSink fallback;
    private JournalSocket socket; // guarded by this; opened at the first record
    private boolean failedBefore; // guarded by this

    JournalSink(String path, LogSink fallback) {
        this.path = path;
        this.fallback = fallback;
    }

    @Override
    public synchronized void write(LogRecord record) {
        try {
            if (socket == null) {
                socket = JournalSocket.open(path);
            }
            socket.send(JournalEntry.of(record));
        } catch (IOException e) {
            if (!failedBefore) {
                failedBefore = true;
                fallback.write(new LogRecord(Instant.now(), Level.WARN, JournalSink.class.getName(),
                        Thread.currentThread().getName(),
                        "cannot log to the journal (" + e.getMessage() + "); logging to stderr", null, List.of()));
            }
            fallback.write(record);
        }
    }
}
