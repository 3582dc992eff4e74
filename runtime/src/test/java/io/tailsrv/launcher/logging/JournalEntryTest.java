package io.tailsrv.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

class JournalEntryTest {

    @Test
    void aRecordIsOneFieldPerLine() {
        LogRecord record = new LogRecord(Instant.EPOCH, Level.INFO, "io.tailsrv.Some", "tailsrv-io-0",
                "[web] listening", null, List.of(new KeyValuePair("TAILSRV_PORT", 4321)));
        assertEquals("MESSAGE=[web] listening\nPRIORITY=6\nSYSLOG_IDENTIFIER=tailsrv\nTAILSRV_LOGGER=io.tailsrv.Some\n"
                + "TAILSRV_THREAD=tailsrv-io-0\nTAILSRV_PORT=4321\n", text(JournalEntry.of(record)));
    }

    @Test
    void aValueWithANewlineIsSizedInsteadOfTerminated() {
        LogRecord record = new LogRecord(Instant.EPOCH, Level.WARN, "l", "t", "two\nlines", null, List.of());
        byte[] entry = JournalEntry.of(record);
        String expectedStart = "MESSAGE\n";
        assertEquals(expectedStart, text(entry).substring(0, expectedStart.length()));
        long length = ByteBuffer.wrap(entry, expectedStart.length(), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(9, length);
        assertEquals("two\nlines\nPRIORITY=4\n", text(entry).substring(expectedStart.length() + 8, expectedStart.length() + 8 + 21));
    }

    @Test
    void anExceptionFollowsTheMessageAndNamesItself() {
        LogRecord record = new LogRecord(Instant.EPOCH, Level.ERROR, "l", "t", "failed", new IllegalStateException("boom"),
                List.of());
        String text = text(JournalEntry.of(record));
        assertTrue(text.startsWith("TAILSRV_EXCEPTION=java.lang.IllegalStateException: boom\nMESSAGE\n"), text);
        assertTrue(text.contains("failed\njava.lang.IllegalStateException: boom\n\tat "), text);
        assertTrue(text.contains("\nPRIORITY=3\n"), text);
    }

    @Test
    void levelsMapToSyslogPriorities() {
        assertEquals(3, JournalEntry.priority(Level.ERROR));
        assertEquals(4, JournalEntry.priority(Level.WARN));
        assertEquals(6, JournalEntry.priority(Level.INFO));
        assertEquals(7, JournalEntry.priority(Level.DEBUG));
        assertEquals(7, JournalEntry.priority(Level.TRACE));
    }

    @Test
    void keysBecomeJournalFieldNames() {
        assertEquals("TAILSRV_PEER", JournalEntry.fieldName("TAILSRV_PEER"));
        assertEquals("CLIENT_ADDRESS", JournalEntry.fieldName("client.address"));
        assertEquals("TRUSTED", JournalEntry.fieldName("_trusted"), "underscore fields are journald's own");
        assertEquals("X", JournalEntry.fieldName("9x"));
        assertEquals("", JournalEntry.fieldName("__"));
        assertEquals(64, JournalEntry.fieldName("A".repeat(100)).length());
    }

    private static String text(byte[] entry) {
        return new String(entry, StandardCharsets.ISO_8859_1);
    }
}
