package io.tailsrv.tls.internal;

/**
 * Text from a certificate or a peer, made safe for one log line: certificate
 * fields are whatever the subject asked its CA for, and a handshake's error
 * may quote the peer. Nothing that ends the line, moves the cursor or
 * colours a terminal gets through, and every character can be read back.
 */
final class LogText {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /**
     * Printable ASCII but the backslash as is; {@code \n \r \t \\} as those
     * escapes; other characters below U+0100 as {@code \xNN}, the rest as
     * a backslash, {@code u} and four hex digits, as in Java source.
     */
    static String escape(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
        return out.toString();
    }
}
