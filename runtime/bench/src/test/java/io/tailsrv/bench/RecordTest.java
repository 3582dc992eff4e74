package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecordTest {

    @Test
    void thirtyZeroPaddedDigitsAndANewline() {
        byte[] record = Record.encode(123_456_789L);
        assertEquals(31, Record.LENGTH);
        assertEquals("000000000000000000000123456789\n", new String(record, StandardCharsets.US_ASCII));
    }

    @Test
    void decodesWhatItEncodes() {
        for (long nanos : new long[] {0, 1, 999_999_999, System.nanoTime() & Long.MAX_VALUE, Long.MAX_VALUE}) {
            assertEquals(nanos, Record.decode(Record.encode(nanos)));
        }
    }

    @Test
    void refusesNegativeTimes() {
        assertThrows(IllegalArgumentException.class, () -> Record.encode(-1));
    }

    @Test
    void rejectsAndQuotesWhatIsNotARecord() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Record.decode("GET / HTTP/1.1\r\nHost: x\r\n\r\n\0\0\0\0\n".getBytes(StandardCharsets.US_ASCII)))
                .getMessage();
        assertEquals("not a latency record: \"GET / HTTP/1.1\\x0d\\x0aHost: x\\x0d\\x0a\\x0d\\x0a\\x00\\x00\\x00\\x00\\x0a\"",
                message);
        for (String bad : new String[] {"00000000000000000000000000000x\n", "0000000000000000000000000000001",
            "999999999999999999999999999999\n", "000000000000000000000000000000\n0"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> Record.decode(bad.getBytes(StandardCharsets.US_ASCII)), bad);
        }
    }
}
