package io.tailsrv.protocol.internal;

/**
 * Writes bytes a client sent so that they are safe in one log line: nothing
 * that ends the line, moves the cursor or colours a terminal gets through, and
 * every byte can still be read back.
 */
final class LogEscaper {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private LogEscaper() {
    }

    /**
     * Printable ASCII but the backslash as is; {@code \n \r \t \\} as those
     * escapes; every other byte as {@code \xNN}.
     */
    static String escape(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b >= 0x20 && b <= 0x7e) {
                        out.append((char) b);
                    } else {
                        out.append("\\x").append(HEX_DIGITS[b >> 4]).append(HEX_DIGITS[b & 0xf]);
                    }
                }
            }
        }
        return out.toString();
    }
}
