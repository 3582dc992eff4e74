package io.tailsrv.api;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link LogText#escape(byte[], int, int)}: bytes a client sent. */
class LogTextBytesTest {

    @Test
    void keepsPrintableAsciiAsIs() {
        String printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
                + "abcdefghijklmnopqrstuvwxyz{|}~";

        assertEquals(printable, escape(printable));
    }

    @Test
    void namesTheCommonControlsAndTheBackslash() {
        assertEquals("a\\nb\\rc\\td\\\\e", escape("a\nb\rc\td\\e"));
    }

    @Test
    void writesTerminalEscapesAsHex() {
        assertEquals("\\x1b[31mred\\x1b[0m\\n", escape("\u001b[31mred\u001b[0m\n"));
    }

    @Test
    void writesEveryOtherByteAsTwoLowerCaseHexDigits() {
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= 0x20 && b <= 0x7e;
            boolean named = b == '\n' || b == '\r' || b == '\t' || b == '\\';
            if (!printable && !named) {
                assertEquals(String.format("\\x%02x", b), escape(new byte[] {(byte) b}));
            }
        }
        assertEquals("\\x00\\x7f\\x80\\xff", escape(new byte[] {0, 0x7f, (byte) 0x80, (byte) 0xff}));
    }

    @Test
    void escapesOnlyTheGivenLength() {
        assertEquals("ab", LogText.escape("abc".getBytes(ISO_8859_1), 0, 2));
        assertEquals("b", LogText.escape("abc".getBytes(ISO_8859_1), 1, 2));
    }

    private static String escape(String s) {
        return escape(s.getBytes(ISO_8859_1));
    }

    private static String escape(byte[] bytes) {
        return LogText.escape(bytes, 0, bytes.length);
    }
}
