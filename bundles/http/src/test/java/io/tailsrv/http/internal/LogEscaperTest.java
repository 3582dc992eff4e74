package io.tailsrv.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Quoting; the escaping rule itself is {@link io.tailsrv.api.LogText}'s, tested in the api bundle. */
class LogEscaperTest {

    @Test
    void quotesAShortLineWhole() {
        assertEquals("\"GET /\\x1b[2J\"", LogEscaper.quote("GET /\u001b[2J"));
        assertEquals("\"" + "a".repeat(256) + "\"", LogEscaper.quote("a".repeat(256)));
    }

    @Test
    void quotesALongLineByItsStartAndItsEnd() {
        String line = "s".repeat(128) + "m".repeat(1000) + "e".repeat(127) + "\u0000";

        assertEquals("\"" + "s".repeat(128) + "\" ... \"" + "e".repeat(127) + "\\x00\"", LogEscaper.quote(line));
    }
}
