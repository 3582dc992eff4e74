package io.tailsrv.launcher.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * One log event, its message formatted, as the sinks receive it.
 *
 * @param fields the SLF4J key-value pairs, written as journal fields
 * @param thrown the exception logged with it, or null
 */
record LogRecord(Instant time, Level level, String logger, String thread, String message, Throwable thrown,
        List<KeyValuePair> fields) {

    /** The exception's stack trace, with its causes, as {@code printStackTrace} prints it. */
    String stackTrace() {
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            thrown.printStackTrace(out);
        }
        return trace.toString();
    }
}
