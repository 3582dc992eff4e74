package io.tailsrv.relay.internal;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log records about one relay: each carries its instance's name and file as
 * the journal fields the server's records about an instance carry
 * ({@code TAILSRV_INSTANCE}, {@code TAILSRV_FILE}), so that {@code
 * journalctl TAILSRV_INSTANCE=web} finds its relay's records too. Messages
 * start with {@code [name]}.
 */
final class RelayLog {

    static final String INSTANCE = "TAILSRV_INSTANCE";
    static final String FILE = "TAILSRV_FILE";

    private final String name;
    private final String file;

    RelayLog(String name, String file) {
        this.name = name;
        this.file = file;
    }

    String name() {
        return name;
    }

    LoggingEventBuilder info(Logger logger) {
        return at(logger, Level.INFO);
    }

    LoggingEventBuilder warn(Logger logger) {
        return at(logger, Level.WARN);
    }

    LoggingEventBuilder error(Logger logger) {
        return at(logger, Level.ERROR);
    }

    private LoggingEventBuilder at(Logger logger, Level level) {
        return logger.atLevel(level).addKeyValue(INSTANCE, name).addKeyValue(FILE, file);
    }
}
