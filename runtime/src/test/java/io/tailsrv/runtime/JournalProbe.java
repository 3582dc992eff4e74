package io.tailsrv.runtime;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.launcher.logging.Logging;

/**
 * Logs, through the launcher's logging and {@code --journald}'s output, the
 * records the product has no honest way to produce on demand: one far larger
 * than a datagram, and one with an exception. JournaldIT runs it, with the
 * distribution's lib/ as its class path, beside a private journald.
 */
public final class JournalProbe {

    /** Over 300 KiB: more than a Unix datagram carries by default, so the memfd path. */
    static final int LARGE_BYTES = 400 * 1024;

    private JournalProbe() {
    }

    public static void main(String[] args) {
        Logging.sendToJournal();
        Logger log = LoggerFactory.getLogger(JournalProbe.class);
        log.info(large());
        log.error("probe failed", new IllegalStateException("boom", new IOException("the cause")));
        log.atWarn().addKeyValue("TAILSRV_PEER", "[::1]:4242").addKeyValue("lower.case-key", "v").log("fields");
    }

    /** Numbered lines, so that a record cut short or reordered cannot pass for whole. */
    static String large() {
        StringBuilder text = new StringBuilder(LARGE_BYTES);
        for (int line = 0; text.length() < LARGE_BYTES; line++) {
            text.append(String.format("line %06d of a large record%n", line));
        }
        return text.substring(0, LARGE_BYTES);
    }
}
