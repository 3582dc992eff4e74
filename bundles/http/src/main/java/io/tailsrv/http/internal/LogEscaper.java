package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.tailsrv.api.LogText;

/**
 * What a client sent, for one log line: escaped by {@link LogText}, the
 * rule of the offset protocol's rejections too, and quoted with a long
 * request shortened to its start and its end.
 */
final class LogEscaper {

    /** How much of a long line a quote shows: its start and its end, this many bytes each. */
    static final int QUOTED_END = 128;

    private LogEscaper() {
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
        out.append(LogText.escape(bytes, from, to));
    }
}
