package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogEscaperTest {

    @Test
    void keepsPrintableAsciiAsIs() {
        String printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
                + "abcdefghijklmnopqrstuvwxyz{|}~";

        assertEquals(printable, LogEscaper.escape(printable));
    }

    @Test
    void namesTheCommonControlsAndTheBackslash() {
        assertEquals("a\\nb\\rc\\td\\\\e", LogEscaper.escape("a\nb\rc\td\\e"));
    }

    @Test
    void writesEveryOtherByteAsTwoLowerCaseHexDigits() {
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= 0x20 && b <= 0x7e;
            boolean named = b == '\n' || b == '\r' || b == '\t' || b == '\\';
            if (!printable && !named) {
                assertEquals(String.format("\\x%02x", b), LogEscaper.escape(new byte[] {(byte) b}, 0, 1));
            }
        }
    }

    @Test
    void escapesOnlyTheGivenRange() {
        assertEquals("b", LogEscaper.escape("abc".getBytes(ISO_8859_1), 1, 2));
    }

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
