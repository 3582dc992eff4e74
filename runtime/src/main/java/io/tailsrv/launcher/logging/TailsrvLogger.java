package io.tailsrv.launcher.logging;

import java.time.Instant;
import java.util.List;

import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * A logger of the launcher's SLF4J provider. Being {@link LoggingEventAware},
 * it receives the fluent API's events whole, key-value pairs included, rather
 * than as a flattened message.
 */
final class TailsrvLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;

    private final Level threshold;

    TailsrvLogger(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public void log(LoggingEvent event) {
        if (enabled(event.getLevel())) {
            List<KeyValuePair> fields = event.getKeyValuePairs();
            write(event.getLevel(), event.getMessage(), event.getArgumentArray(), event.getThrowable(),
                    fields == null ? List.of() : fields);
        }
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable thrown) {
        write(level, pattern, arguments, thrown, List.of());
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null; // no caller data is logged
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    private void write(Level level, String pattern, Object[] arguments, Throwable thrown, List<KeyValuePair> fields) {
        // A trailing Throwable argument that no {} takes is the record's exception, as everywhere in SLF4J.
        FormattingTuple formatted = MessageFormatter.arrayFormat(pattern, arguments);
        Logging.write(new LogRecord(Instant.now(), level, name, Thread.currentThread().getName(),
                String.valueOf(formatted.getMessage()), thrown != null ? thrown : formatted.getThrowable(), fields));
    }
}
