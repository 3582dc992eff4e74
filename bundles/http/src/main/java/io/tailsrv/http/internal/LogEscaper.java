package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Writes bytes a client sent so that they are safe in one log line: nothing
 * that ends the line, moves the cursor or colours a terminal gets through, and
 * every byte can still be read back. The same escaping as the offset
 * protocol's rejections, so that both kinds of log line read alike.
 */
final class LogEscaper {

    /** How much of a long line a quote shows: its start and its end, this many bytes each. */
    static final int QUOTED_END = 128;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private LogEscaper() {
    }

    /**
     * Printable ASCII but the backslash as is; {@code \n \r \t \\} as those
     * escapes; every other byte as {@code \xNN}.
     */
    static String escape(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from + 16);
        append(out, bytes, from, to);
        return out.toString();
    }

    /** A string of ISO-8859-1 characters (one per byte), escaped as its bytes would be. */
    static String escape(String latin1) {
        StringBuilder out = new StringBuilder(latin1.length() + 16);
        for (int i = 0; i < latin1.length(); i++) {
            append(out, latin1.charAt(i) & 0xff);
        }
        return out.toString();
    }

    /**
     * The bytes escaped, in double quotes; a line longer than twice
     * {@link #QUOTED_END} as its start and its end, each quoted, with
     * {@code " ... "} between: a request of 8 KiB does not make an 8 KiB log
     * line, and both the request's start and the byte at fault are shown.
     */
    static String quote(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(2 * QUOTED_END + 16).append('"');
        if (to - from <= 2 * QUOTED_END) {
            append(out, bytes, from, to);
        } else {
            append(out, bytes, from, from + QUOTED_END);
            out.append("\" ... \"");
            append(out, bytes, to - QUOTED_END, to);
        }
        return out.append('"').toString();
    }

    /** A string of ISO-8859-1 characters quoted as {@link #quote(byte[], int, int)} quotes bytes. */
    static String quote(String latin1) {
        byte[] bytes = latin1.getBytes(ISO_8859_1);
        return quote(bytes, 0, bytes.length);
    }

    private static void append(StringBuilder out, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            append(out, bytes[i] & 0xff);
        }
    }

    private static void append(StringBuilder out, int b) {
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
}
