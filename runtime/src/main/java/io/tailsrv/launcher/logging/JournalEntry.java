package io.tailsrv.launcher.logging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * A log record in the journal's native protocol: one field per line,
 * {@code NAME=value}, or, for a value with a newline in it,
 * {@code NAME\n} + the value's length (64-bit little-endian) + the value +
 * {@code \n}.
 */
final class JournalEntry {

    static final String IDENTIFIER = "tailsrv";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

    private JournalEntry() {
    }

    /**
     * MESSAGE (with the stack trace on the lines after it, as on stderr),
     * PRIORITY, SYSLOG_IDENTIFIER, TAILSRV_LOGGER, TAILSRV_THREAD,
     * TAILSRV_EXCEPTION (the exception's first line) and the record's
     * key-value pairs.
     */
    static byte[] of(LogRecord record) {
        JournalEntry entry = new JournalEntry();
        String message = record.message();
        if (record.thrown() != null) {
            message = message + "\n" + record.stackTrace().stripTrailing();
            entry.add("TAILSRV_EXCEPTION", record.thrown().toString());
        }
        entry.add("MESSAGE", message);
        entry.add("PRIORITY", Integer.toString(priority(record.level())));
        entry.add("SYSLOG_IDENTIFIER", IDENTIFIER);
        entry.add("TAILSRV_LOGGER", record.logger());
        entry.add("TAILSRV_THREAD", record.thread());
        for (KeyValuePair field : record.fields()) {
            String name = fieldName(field.key);
            if (!name.isEmpty()) {
                entry.add(name, String.valueOf(field.value));
            }
        }
        return entry.bytes.toByteArray();
    }

    /** syslog's priorities, as journalctl -p takes them. */
    static int priority(Level level) {
        switch (level) {
            case ERROR:
                return 3;
            case WARN:
                return 4;
            case INFO:
                return 6;
            default:
                return 7;
        }
    }

    /**
     * {@code key} as a journal field name: upper-case letters, digits and
     * underscores, not starting with an underscore (those are journald's own
     * trusted fields) or a digit, at most 64 characters; empty if nothing is left.
     */
    static String fieldName(String key) {
        String name = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_").replaceFirst("^[_0-9]+", "");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private void add(String name, String value) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        bytes.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        if (value.indexOf('\n') < 0) {
            bytes.write('=');
        } else {
            bytes.write('\n');
            bytes.writeBytes(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array());
        }
        bytes.writeBytes(data);
        bytes.write('\n');
    }
}
