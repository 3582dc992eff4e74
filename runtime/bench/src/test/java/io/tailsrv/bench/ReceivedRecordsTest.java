package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** One busy client's accounting: records assembled from pieces, their order, what is missing, what is sampled. */
class ReceivedRecordsTest {

    private static final long WRITTEN = 1_000;
    private static final long ARRIVED = 5_000;

    private final List<Long> latencies = new ArrayList<>();

    /** Records numbered {@code numbers}, each written at WRITTEN + its number, back to back as a stream carries them. */
    private static byte[] stream(long... numbers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (long number : numbers) {
            bytes.writeBytes(NumberedRecord.encode(WRITTEN + number, number));
        }
        return bytes.toByteArray();
    }

    private void accept(ReceivedRecords records, byte[] bytes) {
        records.accept(bytes, bytes.length, ARRIVED, latencies::add);
    }

    @Test
    void everyRecordInOrderIsCompleteWithNothingMissing() {
        ReceivedRecords records = new ReceivedRecords(0, 4);
        accept(records, stream(0, 1, 2));
        assertFalse(records.complete());
        assertEquals(1, records.missing());
        accept(records, stream(3));
        assertTrue(records.complete());
        assertEquals(0, records.missing());
        assertEquals(0, records.outOfOrder());
        assertEquals(List.of(ARRIVED - WRITTEN, ARRIVED - WRITTEN - 1, ARRIVED - WRITTEN - 2, ARRIVED - WRITTEN - 3),
                latencies);
    }

    @Test
    void recordsSplitAcrossReadsAtAnyByte() {
        byte[] all = stream(0, 1, 2, 3, 4);
        for (int cut = 1; cut < all.length; cut += 7) {
            ReceivedRecords records = new ReceivedRecords(0, 5);
            latencies.clear();
            accept(records, Arrays.copyOfRange(all, 0, cut));
            accept(records, Arrays.copyOfRange(all, cut, all.length));
            assertTrue(records.complete(), "cut at " + cut);
            assertEquals(5, latencies.size(), "cut at " + cut);
        }
    }

    @Test
    void onlyPartOfABufferIsRead() {
        ReceivedRecords records = new ReceivedRecords(0, 2);
        byte[] buffer = Arrays.copyOf(stream(0, 1), 100); // what follows the length is stale
        records.accept(buffer, NumberedRecord.LENGTH * 2, ARRIVED, latencies::add);
        assertTrue(records.complete());
    }

    @Test
    void warmUpRecordsAreCheckedButNotSampled() {
        ReceivedRecords records = new ReceivedRecords(2, 3);
        accept(records, stream(0, 1, 2, 3, 4));
        assertTrue(records.complete());
        assertEquals(List.of(ARRIVED - WRITTEN - 2, ARRIVED - WRITTEN - 3, ARRIVED - WRITTEN - 4), latencies);
        assertEquals(5, new ReceivedRecords(2, 3).missing(), "warm-up records are due too");
    }

    @Test
    void aGapIsMissingNotOutOfOrder() {
        ReceivedRecords records = new ReceivedRecords(0, 5);
        accept(records, stream(0, 1, 3, 4));
        assertTrue(records.complete(), "the last came: nothing more is due");
        assertEquals(1, records.missing());
        assertEquals(0, records.outOfOrder());
    }

    @Test
    void aLateRecordIsOutOfOrderNotMissing() {
        ReceivedRecords records = new ReceivedRecords(0, 4);
        accept(records, stream(0, 2, 1, 3));
        assertEquals(0, records.missing());
        assertEquals(1, records.outOfOrder());
        assertEquals(4, latencies.size());
    }

    @Test
    void aRepeatIsOutOfOrderAndSampledOnce() {
        ReceivedRecords records = new ReceivedRecords(0, 3);
        accept(records, stream(0, 1, 1, 2));
        assertEquals(0, records.missing());
        assertEquals(1, records.outOfOrder());
        assertEquals(3, latencies.size());
    }

    @Test
    void nothingReceivedIsAllMissing() {
        ReceivedRecords records = new ReceivedRecords(20, 100);
        assertFalse(records.complete());
        assertEquals(120, records.missing());
    }

    @Test
    void bytesThatAreNotRecordsOrANumberNeverWrittenAreRefused() {
        ReceivedRecords records = new ReceivedRecords(0, 3);
        byte[] foreign = "a line another program appended\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> accept(records, foreign));
        assertEquals("record number 3, but the writer appends 0 to 2",
                assertThrows(IllegalArgumentException.class, () -> accept(new ReceivedRecords(0, 3), stream(3)))
                        .getMessage());
    }
}
