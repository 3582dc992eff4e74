package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tailsrv.api.EventFramer;

class LineEventFramerTest {

    @Test
    void framesEachLineWithTheOffsetAfterIt() {
        assertFramed(0, "a\nbc\n", "id: 2\ndata: a\n\nid: 5\ndata: bc\n\n", 5);
    }

    @Test
    void idsCountFromTheFramersOffset() {
        assertFramed(1000, "a\nbc\n", "id: 1002\ndata: a\n\nid: 1005\ndata: bc\n\n", 5);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // input (escapes: \\n \\r) | the events
        "\\n | id: 1\\ndata: \\n\\n",
        "a\\r\\n | id: 3\\ndata: a\\n\\n",
        "\\r\\n | id: 2\\ndata: \\n\\n",
        "a\\rb\\n | id: 4\\ndata: a\\ndata: b\\n\\n",
        "\\ra\\r\\r\\n | id: 5\\ndata: \\ndata: a\\ndata: \\n\\n",
        "a\\r\\r\\n | id: 4\\ndata: a\\ndata: \\n\\n",
        "data: x\\n | id: 8\\ndata: data: x\\n\\n",
        ": not a comment\\n | id: 16\\ndata: : not a comment\\n\\n",
        "\\n\\n | id: 1\\ndata: \\n\\nid: 2\\ndata: \\n\\n",
    })
    void dropsTheLineEndAndSplitsDataAtEveryOtherCarriageReturn(String input, String events) {
        String file = unescape(input);
        assertFramed(0, file, unescape(events), file.length());
    }

    @Test
    void aLineWithoutItsNewlineWaits() {
        ByteBuffer file = heap("a\nbc");
        LineEventFramer framer = new LineEventFramer(0);
        ByteBuffer out = ByteBuffer.allocate(100);

        assertEquals(2, framer.frame(file, out));
        assertEquals("id: 2\ndata: a\n\n", written(out));
        assertEquals(2, file.position());
        assertEquals(2, framer.offset());

        assertEquals(0, framer.frame(file, out.clear()));
        assertEquals(0, out.position());
        assertEquals(2, file.position());
    }

    @Test
    void aCrAtTheEndOfWhatIsThereWaitsForItsLineFeed() {
        LineEventFramer framer = new LineEventFramer(0);
        ByteBuffer out = ByteBuffer.allocate(100);

        assertEquals(0, framer.frame(heap("abc\r"), out));
        assertEquals(5, framer.frame(heap("abc\r\n"), out));
        assertEquals("id: 5\ndata: abc\n\n", written(out));
    }

    @Test
    void stopsAtALineThatDoesNotFitAfterOthersAndFramesItNextTime() {
        ByteBuffer file = heap("a\n" + "b".repeat(15) + "\n");
        LineEventFramer framer = new LineEventFramer(0);
        ByteBuffer out = ByteBuffer.allocate(30); // room for the second line's event, but not after the first's

        assertEquals(2, framer.frame(file, out));
        assertEquals("id: 2\ndata: a\n\n", written(out));
        assertEquals(16, framer.frame(file, out.clear()));
        assertEquals("id: 18\ndata: " + "b".repeat(15) + "\n\n", written(out));
        assertEquals(30, out.position());
    }

    @Test
    void cutsALineLongerThanTheBufferWhereItIsFull() {
        ByteBuffer file = heap("x".repeat(50) + "\n");
        LineEventFramer framer = new LineEventFramer(0);
        ByteBuffer out = ByteBuffer.allocate(32);

        assertEquals(17, framer.frame(file, out)); // 32 - "id: 17\ndata: " - "\n\n"
        assertEquals("id: 17\ndata: " + "x".repeat(17) + "\n\n", written(out));
        assertEquals(32, out.position());
        assertEquals(17, framer.frame(file, out.clear()));
        assertEquals("id: 34\ndata: " + "x".repeat(17) + "\n\n", written(out));
        assertEquals(17, framer.frame(file, out.clear()));
        assertEquals("id: 51\ndata: " + "x".repeat(16) + "\n\n", written(out));
        assertEquals(51, framer.offset());
    }

    @Test
    void cutsALongLineEvenBeforeItsNewlineComes() {
        ByteBuffer file = heap("y".repeat(40));
        LineEventFramer framer = new LineEventFramer(7);
        ByteBuffer out = ByteBuffer.allocate(32);

        assertEquals(17, framer.frame(file, out));
        assertEquals("id: 24\ndata: " + "y".repeat(17) + "\n\n", written(out));
    }

    @Test
    void countsACarriageReturnAsTheFieldItStarts() {
        ByteBuffer file = heap("ab\rcd\ref" + "\n");
        ByteBuffer out = ByteBuffer.allocate(30);

        // the second CR would take seven bytes, and only six are left
        assertEquals(5, new LineEventFramer(0).frame(file, out));
        assertEquals("id: 5\ndata: ab\ndata: cd\n\n", written(out));
    }

    @Test
    void doesNotCutAUtf8SequenceInTwo() {
        // 17 bytes fit: "é" is two, so the cut falls after 8 of them (16 bytes), not inside the ninth
        byte[] line = ("\u00e9".repeat(20) + "\n").getBytes(UTF_8);
        ByteBuffer file = ByteBuffer.wrap(line);
        ByteBuffer out = ByteBuffer.allocate(32);
        LineEventFramer framer = new LineEventFramer(0);

        assertEquals(16, framer.frame(file, out));
        assertEquals("id: 16\ndata: " + "\u00e9".repeat(8) + "\n\n", new String(bytes(out), UTF_8));
        // four-byte sequences: 17 bytes fit, 16 are four whole ones
        assertEquals(16, new LineEventFramer(0).frame(ByteBuffer.wrap(("\ud83d\ude00".repeat(10) + "\n")
                .getBytes(UTF_8)), out.clear()));
    }

    @Test
    void cutsWhereFullWhenTheBytesAreNotUtf8() {
        ByteBuffer file = heap("\u0080".repeat(40) + "\n");

        assertEquals(17, new LineEventFramer(0).frame(file, ByteBuffer.allocate(32)));
    }

    @Test
    void framesNothingIntoABufferTooSmallForAnyEvent() {
        ByteBuffer file = heap("a\n");
        ByteBuffer out = ByteBuffer.allocate(14); // "id: 2\ndata: a\n\n" is 15

        assertEquals(0, new LineEventFramer(0).frame(file, out));
        assertEquals(0, out.position());
        assertEquals(0, file.position());
    }

    @ParameterizedTest(name = "file direct: {0}, out direct: {1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void framesFromAndIntoHeapAndDirectBuffersAtAnyPosition(boolean fileDirect, boolean outDirect) {
        byte[] text = "skip-a\r\nb\rc\npartial".getBytes(ISO_8859_1);
        ByteBuffer file = fileDirect ? ByteBuffer.allocateDirect(text.length) : ByteBuffer.allocate(text.length);
        file.put(text).position(5).limit(text.length);
        file.put(5, (byte) 'A');
        ByteBuffer out = outDirect ? ByteBuffer.allocateDirect(200) : ByteBuffer.allocate(200);
        out.position(3);

        assertEquals(7, new LineEventFramer(10).frame(file, out));
        assertEquals("id: 13\ndata: A\n\nid: 17\ndata: b\ndata: c\n\n",
                new String(bytes(out), 3, out.position() - 3, ISO_8859_1));
        assertEquals(12, file.position());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, Long.MIN_VALUE})
    void refusesANegativeOffset(long offset) {
        assertThrows(IllegalArgumentException.class, () -> new LineEventFramer(offset));
    }

    @Test
    void theProtocolMakesFramersAtTheirOffset() {
        EventFramer framer = Exchange.PROTOCOL.newFramer(42);

        assertEquals(42, framer.offset());
        framer.frame(heap("x\n"), ByteBuffer.allocate(64));
        assertEquals(44, framer.offset());
    }

    private static void assertFramed(long offset, String file, String events, int consumed) {
        LineEventFramer framer = new LineEventFramer(offset);
        ByteBuffer out = ByteBuffer.allocate(1000);

        assertEquals(consumed, framer.frame(heap(file), out));
        assertEquals(events, written(out));
        assertEquals(offset + consumed, framer.offset());
    }

    private static ByteBuffer heap(String text) {
        return ByteBuffer.wrap(text.getBytes(ISO_8859_1));
    }

    private static byte[] bytes(ByteBuffer out) {
        ByteBuffer written = out.duplicate().flip();
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    private static String written(ByteBuffer out) {
        return new String(bytes(out), ISO_8859_1);
    }

    private static String unescape(String text) {
        return text.replace("\\n", "\n").replace("\\r", "\r");
    }
}
