package io.tailsrv.launcher.logging;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line per record on stderr, {@code 2026-11-24T22:33:37.591Z INFO message},
 * followed by the stack trace when there is one. Structured fields are left
 * out: the message says the same for a reader.
 */
final class StderrSink implements LogSink {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public void write(LogRecord record) {
        StringBuilder text = new StringBuilder(128)
                .append(TIME.format(record.time())).append(' ')
                .append(record.level()).append(' ')
                .append(record.message()).append(System.lineSeparator());
        if (record.thrown() != null) {
            text.append(record.stackTrace());
        }
        System.err.print(text); // one call, so that records from different threads never interleave
    }
}
