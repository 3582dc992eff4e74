package io.tailsrv.bench;

import java.nio.charset.StandardCharsets;

/**
 * What the busy writer appends: a {@link Record}'s time, with the record's
 * number in its file beside it, so that a client can tell a record lost or
 * repeated from one merely late. 20 zero-padded digits of nanoseconds, a
 * space, 10 of the number, a newline: 32 bytes, laid out as the busy
 * records of compare.py's load generator (tsload) are.
 */
final class NumberedRecord {

    static final int LENGTH = 32;
    private static final int TIME_DIGITS = 20;
    private static final int NUMBER_DIGITS = 10;
    /** The largest number ten digits hold. */
    static final long MAX_NUMBER = 9_999_999_999L;

    /** The time (nanoseconds since the run's origin) and the number a record holds. */
    record Fields(long nanos, long number) {
    }

    private NumberedRecord() {
    }

    static byte[] encode(long nanos, long number) {
        if (nanos < 0 || number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("time " + nanos + " or number " + number + " out of range");
        }
        return String.format("%0" + TIME_DIGITS + "d %0" + NUMBER_DIGITS + "d\n", nanos, number)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** What a record holds; throws if these bytes are not one. */
    static Fields decode(byte[] record) {
        if (record.length != LENGTH || record[TIME_DIGITS] != ' ' || record[LENGTH - 1] != '\n') {
            throw new IllegalArgumentException(Record.notA("busy record", record));
        }
        long nanos = Record.digits(record, 0, TIME_DIGITS);
        long number = Record.digits(record, TIME_DIGITS + 1, LENGTH - 1);
        if (nanos < 0 || number < 0) {
            throw new IllegalArgumentException(Record.notA("busy record", record));
        }
        return new Fields(nanos, number);
    }
}
