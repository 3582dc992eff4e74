package io.tailsrv.tls.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The tests' SLF4J provider (found through META-INF/services): it keeps
 * every record, at every level, with its key-value fields, so that a test
 * can wait for a line and count them; INFO and above also go to stderr.
 */
public final class RecordedLog implements SLF4JServiceProvider {

    /** One record, its message formatted. */
    record Entry(Level level, String message, Map<String, Object> fields, Throwable cause) {

        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private static final List<Entry> ENTRIES = new ArrayList<>();

    /** Every record so far; a copy. */
    static List<Entry> entries() {
        synchronized (ENTRIES) {
            return List.copyOf(ENTRIES);
        }
    }

    /** Records so far, from the {@code from}-th on, that match. */
    static List<Entry> since(int from, Predicate<Entry> matching) {
        List<Entry> all = entries();
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(matching).toList();
    }

    /** How many records there are so far: a mark to look from. */
    static int mark() {
        synchronized (ENTRIES) {
            return ENTRIES.size();
        }
    }

    /** Waits for a record after the {@code from}-th that matches; fails after {@code timeout}. */
    static Entry await(int from, Predicate<Entry> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ENTRIES) {
            for (int next = from; ; ) {
                for (; next < ENTRIES.size(); next++) {
                    if (matching.test(ENTRIES.get(next))) {
                        return ENTRIES.get(next);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such log record within " + timeout + "; since the mark: "
                            + ENTRIES.subList(Math.min(from, ENTRIES.size()), ENTRIES.size()));
                }
                ENTRIES.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static void add(Entry entry) {
        if (entry.level().toInt() >= Level.INFO.toInt()) {
            System.err.println(entry + (entry.cause() == null ? "" : " (" + entry.cause() + ")"));
        }
        synchronized (ENTRIES) {
            ENTRIES.add(entry);
            ENTRIES.notifyAll();
        }
    }

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return Recorder::new;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Recorder extends LegacyAbstractLogger implements LoggingEventAware {

        private static final long serialVersionUID = 1L;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void log(LoggingEvent event) {
            Map<String, Object> fields = new HashMap<>();
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                pairs.forEach(pair -> fields.put(pair.key, pair.value));
            }
            add(new Entry(event.getLevel(), MessageFormatter.basicArrayFormat(event.getMessage(),
                    event.getArgumentArray()), fields, event.getThrowable()));
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable thrown) {
            add(new Entry(level, MessageFormatter.basicArrayFormat(pattern, arguments), Map.of(), thrown));
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
