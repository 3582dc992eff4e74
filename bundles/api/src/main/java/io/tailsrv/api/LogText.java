package io.tailsrv.api;

/**
 * Text from outside (bytes a client sent, names in a certificate, a
 * library's message) made safe for one log line: nothing that ends the
 * line, moves the cursor or colours a terminal gets through, and every byte
 * or character can still be read back. One rule for every bundle that logs
 * what it did not write itself.
 */
public final class LogText {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /**
     * Bytes {@code from} (inclusive) to {@code to} (exclusive): printable
     * ASCII but the backslash as is; {@code \n \r \t \\} as those escapes;
     * every other byte as {@code \xNN}.
     */
    public static String escape(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from + 16);
        for (int i = from; i < to; i++) {
            append(out, (char) (bytes[i] & 0xff));
        }
        return out.toString();
    }

    /**
     * Characters, by the same rule as bytes: those below U+0100 as the byte
     * of that value would be, the rest as a backslash, {@code u} and four
     * hex digits, as in Java source.
     */
    public static String escape(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            append(out, text.charAt(i));
        }
        return out.toString();
    }

    private static void append(StringBuilder out, char c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            default -> {
                if (c >= 0x20 && c <= 0x7e) {
                    out.append(c);
                } else if (c < 0x100) {
                    out.append("\\x").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xf]);
                } else {
                    out.append("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4) {
                        out.append(HEX_DIGITS[(c >> shift) & 0xf]);
                    }
                }
            }
        }
    }
}
