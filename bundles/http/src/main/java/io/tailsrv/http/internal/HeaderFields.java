package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * The header fields a request's answer depends on, as the reader meets
 * them; every other field is checked for syntax and dropped. Repetitions
 * are counted, so that the request can be refused where one is an error
 * (two {@code Host}s, two {@code Range}s). Values are kept as ISO-8859-1
 * text, one character per byte.
 */
final class HeaderFields {

    int hosts;
    String host;
    int ranges;
    String range;
    int ifRanges;
    /** Every {@code Accept} field, joined with commas as RFC 9110 5.3 allows; null if none. */
    String accept;
    int lastEventIds;
    String lastEventId;
    boolean transferEncoding;
    /** The first {@code Content-Length} that is not 0, which announces a body; null if none. */
    String contentLength;

    /**
     * Takes one field: its name is {@code head[nameFrom, nameTo)}, its value
     * (without the whitespace around it) {@code head[valueFrom, valueTo)}.
     * Names are told apart by length first: most fields a browser sends are
     * dropped without a comparison.
     */
    void add(byte[] head, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        switch (nameTo - nameFrom) {
            case 4 -> {
                if (named(head, nameFrom, "host")) {
                    hosts++;
                    host = value(head, valueFrom, valueTo);
                }
            }
            case 5 -> {
                if (named(head, nameFrom, "range")) {
                    ranges++;
                    range = value(head, valueFrom, valueTo);
                }
            }
            case 6 -> {
                if (named(head, nameFrom, "accept")) {
                    String value = value(head, valueFrom, valueTo);
                    accept = accept == null ? value : accept + "," + value;
                }
            }
            case 8 -> {
                if (named(head, nameFrom, "if-range")) {
                    ifRanges++;
                }
            }
            case 13 -> {
                if (named(head, nameFrom, "last-event-id")) {
                    lastEventIds++;
                    lastEventId = value(head, valueFrom, valueTo);
                }
            }
            case 14 -> {
                if (named(head, nameFrom, "content-length") && contentLength == null
                        && !isZero(head, valueFrom, valueTo)) {
                    contentLength = value(head, valueFrom, valueTo);
                }
            }
            case 17 -> {
                if (named(head, nameFrom, "transfer-encoding")) {
                    transferEncoding = true;
                }
            }
        }
    }

    /** Whether the name at {@code from} is {@code lowerCase}, ignoring ASCII case as field names do. */
    private static boolean named(byte[] head, int from, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            int b = head[from + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code 1*"0"}: a Content-Length that announces no body. */
    private static boolean isZero(byte[] head, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] != '0') {
                return false;
            }
        }
        return to > from;
    }

    private static String value(byte[] head, int from, int to) {
        return new String(head, from, to - from, ISO_8859_1);
    }
}
