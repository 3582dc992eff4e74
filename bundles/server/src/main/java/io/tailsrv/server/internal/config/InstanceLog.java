package io.tailsrv.server.internal.config;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log records about one instance: each carries its name, port and file as
 * fields ({@link LogFields}), which the journal keeps for queries. Callers
 * log through their own logger, so a record still names the class that
 * wrote it.
 */
public final class InstanceLog {

    private final String name;
    private final int port;
    private final String file;

    public InstanceLog(String name, int port, String file) {
        this.name = name;
        this.port = port;
        this.file = file;
    }

    /** The instance's name, which every message starts with, as {@code [name]}. */
    public String name() {
        return name;
    }

    public LoggingEventBuilder info(Logger logger) {
        return at(logger, Level.INFO);
    }

    public LoggingEventBuilder warn(Logger logger) {
        return at(logger, Level.WARN);
    }

    public LoggingEventBuilder error(Logger logger) {
        return at(logger, Level.ERROR);
    }

    private LoggingEventBuilder at(Logger logger, Level level) {
        return logger.atLevel(level)
                .addKeyValue(LogFields.INSTANCE, name)
                .addKeyValue(LogFields.PORT, port)
                .addKeyValue(LogFields.FILE, file);
    }
}
