package io.tailsrv.launcher.logging;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One logger per name, all with the one threshold but for libraries that
 * tell at INFO what an operator need not read at every start.
 */
final class TailsrvLoggerFactory implements ILoggerFactory {

    /**
     * Loggers that say WARN and above at the default threshold (INFO): Felix
     * Health Checks announces its thread pool and its scheduler at every
     * start of the console. A threshold of DEBUG or finer shows them all.
     */
    private static final List<String> QUIET_AT_INFO = List.of("org.apache.felix.hc.");

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final Level threshold;

    TailsrvLoggerFactory(Level threshold) {
        this.threshold = threshold;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new TailsrvLogger(n, thresholdFor(n)));
    }

    Level thresholdFor(String name) {
        return threshold == Level.INFO && QUIET_AT_INFO.stream().anyMatch(name::startsWith) ? Level.WARN : threshold;
    }
}
