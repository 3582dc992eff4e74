package io.tailsrv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void printableAsciiStaysAsItIs() {
        assertEquals("CN=reader, O=Example (ops) #1 ~", LogText.escape("CN=reader, O=Example (ops) #1 ~"));
    }

    @Test
    void lineBreaksTabsAndTheBackslashAreEscaped() {
        assertEquals("a\\nb\\rc\\td\\\\e", LogText.escape("a\nb\rc\td\\e"));
    }

    @Test
    void otherControlsAndLatin1AreHex() {
        assertEquals("\\x00\\x1b[31m\\x7f\\x85\\xe9", LogText.escape("\u0000\u001b[31m\u007f\u0085\u00e9"));
    }

    @Test
    void theRestIsAUnicodeEscape() {
        assertEquals("\\u2028\\u202e\\ud83d\\ude00", LogText.escape("\u2028\u202e\ud83d\ude00"));
    }
}
