package io.tailsrv.bench;

import java.nio.charset.StandardCharsets;

/**
 * What the latency writer appends: the moment of the append, as 30
 * zero-padded decimal digits of nanoseconds, and a newline. Fixed-size and
 * text, so that a reader finds the boundaries by counting, and {@code nc}
 * shows something readable.
 */
final class Record {

    static final int LENGTH = 31;
    private static final int DIGITS = LENGTH - 1;

    private Record() {
    }

    /** {@code nanos} (not negative) as a record. */
    static byte[] encode(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative time " + nanos);
        }
        return String.format("%0" + DIGITS + "d\n", nanos).getBytes(StandardCharsets.US_ASCII);
    }

    /** The time held by a record; throws if these bytes are not one. */
    static long decode(byte[] record) {
        if (record.length != LENGTH || record[DIGITS] != '\n') {
            throw new IllegalArgumentException(notA("latency record", record));
        }
        long nanos = digits(record, 0, DIGITS);
        if (nanos < 0) {
            throw new IllegalArgumentException(notA("latency record", record));
        }
        return nanos;
    }

    /**
     * The number written in decimal digits in {@code bytes[from..to)}, or -1
     * if something else is there or it does not fit a long: the parse both
     * kinds of record share ({@link NumberedRecord}).
     */
    static long digits(byte[] bytes, int from, int to) {
        long number = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || number > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            number = number * 10 + digit;
        }
        return number;
    }

    /** "not a WHAT: " and the bytes, quoted, with the unprintable ones escaped. */
    static String notA(String what, byte[] bytes) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : bytes) {
            escaped.append(b >= ' ' && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return "not a " + what + ": \"" + escaped + "\"";
    }
}
