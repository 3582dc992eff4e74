package io.tailsrv.bench;

import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * What one busy client has received of its file's numbered records (0 to
 * {@code warmRecords + countedRecords - 1}): bytes arrive in pieces of any
 * size, and whole records are checked as they complete. A stream carries
 * the file's bytes in order, so each record should come with a number above
 * every earlier one: one that does not is out of order (late, or a
 * repeat), and a number that never comes is missing. A record counted out
 * of order is not also counted missing.
 */
final class ReceivedRecords {

    private final int warmRecords;
    private final int expected;
    private final byte[] partial = new byte[NumberedRecord.LENGTH];
    private int partialLength;
    private final BitSet received = new BitSet();
    private long highest = -1;
    private long outOfOrder;

    ReceivedRecords(int warmRecords, int countedRecords) {
        this.warmRecords = warmRecords;
        this.expected = warmRecords + countedRecords;
    }

    /**
     * Takes in {@code bytes[0, length)}, which arrived at {@code arrivalNanos}
     * (on the writer's clock): for each counted record that completes, and
     * has not come before, hands its latency to {@code latencies}. Throws
     * {@link IllegalArgumentException} for bytes that are not a record, or a
     * number the writer does not append.
     */
    void accept(byte[] bytes, int length, long arrivalNanos, LongConsumer latencies) {
        for (int i = 0; i < length; i++) {
            partial[partialLength++] = bytes[i];
            if (partialLength == NumberedRecord.LENGTH) {
                partialLength = 0;
                NumberedRecord.Fields record = NumberedRecord.decode(partial);
                if (add(record.number()) && record.number() >= warmRecords) {
                    latencies.accept(arrivalNanos - record.nanos());
                }
            }
        }
    }

    /** Notes record {@code number}; says whether it is the first of that number. */
    private boolean add(long number) {
        if (number >= expected) {
            throw new IllegalArgumentException("record number " + number + ", but the writer appends 0 to "
                    + (expected - 1));
        }
        if (number <= highest) {
            outOfOrder++;
        } else {
            highest = number;
        }
        boolean first = !received.get((int) number);
        received.set((int) number);
        return first;
    }

    /** Whether the last record has come: after it, nothing more is due. */
    boolean complete() {
        return highest == expected - 1;
    }

    long missing() {
        return expected - received.cardinality();
    }

    long outOfOrder() {
        return outOfOrder;
    }
}
