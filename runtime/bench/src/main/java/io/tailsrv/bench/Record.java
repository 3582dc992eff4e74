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
            throw new IllegalArgumentException(notARecord(record));
        }
        long nanos = 0;
        for (int i = 0; i < DIGITS; i++) {
            int digit = record[i] - '0';
            if (digit < 0 || digit > 9 || nanos > (Long.MAX_VALUE - digit) / 10) {
                throw new IllegalArgumentException(notARecord(record));
            }
            nanos = nanos * 10 + digit;
        }
        return nanos;
    }

    private static String notARecord(byte[] bytes) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : bytes) {
            escaped.append(b >= ' ' && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return "not a latency record: \"" + escaped + "\"";
    }
}
