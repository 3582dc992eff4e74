package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The busy writer's record: what compare.py's tsload appends in its busy scenario, byte for byte in layout. */
class NumberedRecordTest {

    @Test
    void twentyDigitsOfTimeASpaceTenOfTheNumberAndANewline() {
        byte[] record = NumberedRecord.encode(123_456_789L, 42);
        assertEquals(32, NumberedRecord.LENGTH);
        assertEquals("00000000000123456789 0000000042\n", new String(record, StandardCharsets.US_ASCII));
    }

    @Test
    void decodesWhatItEncodes() {
        long[][] cases = {{0, 0}, {1, 1}, {System.nanoTime() & Long.MAX_VALUE, 123_456}, {Long.MAX_VALUE,
            NumberedRecord.MAX_NUMBER}};
        for (long[] fields : cases) {
            assertEquals(new NumberedRecord.Fields(fields[0], fields[1]),
                    NumberedRecord.decode(NumberedRecord.encode(fields[0], fields[1])));
        }
    }

    @Test
    void refusesWhatTenDigitsOrATimeCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> NumberedRecord.encode(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> NumberedRecord.encode(0, -1));
        assertThrows(IllegalArgumentException.class, () -> NumberedRecord.encode(0, NumberedRecord.MAX_NUMBER + 1));
    }

    @Test
    void rejectsAndQuotesWhatIsNotARecord() {
        assertEquals("not a busy record: \"hello\\x0a\"", assertThrows(IllegalArgumentException.class,
                () -> NumberedRecord.decode("hello\n".getBytes(StandardCharsets.US_ASCII))).getMessage());
        for (String bad : new String[] {
            "00000000000123456789 000000004x\n", // not a digit
            "00000000000123456789-0000000042\n", // no space
            "00000000000123456789 00000000042", // no newline
            "99999999999999999999 0000000042\n", // past a long
            "000000000000000000000000000000\n" + "0", // a latency record and a byte of the next
        }) {
            assertThrows(IllegalArgumentException.class,
                    () -> NumberedRecord.decode(bad.getBytes(StandardCharsets.US_ASCII)), bad);
        }
    }
}
