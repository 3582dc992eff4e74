package io.tailsrv.protocol.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.LogText;

class DecimalHeaderParserTest {

    /**
     * One input and what parsing it must give however it is split: the
     * status, the offset (if COMPLETE), the rejection (if REJECTED), and how
     * many bytes the parser consumed (the rest stay for whoever reads next).
     * Inputs are ISO-8859-1, so that "\u00ff" is the byte 0xff.
     */
    record Case(String input, Status status, long offset, String rejection, int consumed) {

        static Case accepted(String input, long offset) {
            return new Case(input, Status.COMPLETE, offset, null, input.indexOf('\n') + 1);
        }

        static Case rejected(String input, int consumed, String rejection) {
            return new Case(input, Status.REJECTED, 0, rejection, consumed);
        }

        static Case incomplete(String input) {
            return new Case(input, Status.INCOMPLETE, 0, null, input.length());
        }

        byte[] bytes() {
            return input.getBytes(ISO_8859_1);
        }

        @Override
        public String toString() {
            return LogText.escape(bytes(), 0, bytes().length);
        }
    }

    static Stream<Case> grammar() {
        return Stream.of(
                Case.accepted("0\n", 0),
                Case.accepted("42\n", 42),
                Case.accepted("+42\n", 42),
                Case.accepted("-42\n", -42),
                Case.accepted("-0\n", 0),
                Case.accepted("+0\n", 0),
                Case.accepted("007\n", 7),
                Case.accepted("-007\n", -7),
                Case.accepted(" \t 12\n", 12),
                Case.accepted("12 \t\r\n", 12),
                Case.accepted("12\r\n", 12),
                Case.accepted("12\r\r \r\n", 12),
                Case.accepted("\t-5\t\r\n", -5),
                Case.accepted("5\nrest of the stream", 5),
                Case.accepted("5\n6\n", 5),
                Case.accepted("9223372036854775807\n", Long.MAX_VALUE),
                Case.accepted("+9223372036854775807\n", Long.MAX_VALUE),
                Case.accepted("-9223372036854775807\n", -Long.MAX_VALUE),
                Case.accepted("-9223372036854775808\n", Long.MIN_VALUE),
                Case.accepted("0000000000000000000000009223372036854775807\n", Long.MAX_VALUE),
                Case.accepted("-0000000000000000000000009223372036854775808\n", Long.MIN_VALUE),
                // exactly 64 bytes before the newline, in each part of the grammar
                Case.accepted(" ".repeat(62) + "17\n", 17),
                Case.accepted("0".repeat(63) + "9\n", 9),
                Case.accepted("-" + "0".repeat(62) + "3\n", -3),
                Case.accepted("1" + " ".repeat(62) + "\r\n", 1),

                Case.rejected("\n", 1, "not a number: \"\\n\""),
                Case.rejected("   \n", 4, "not a number: \"   \\n\""),
                Case.rejected(" \t\r\n", 3, "not a number: \" \\t\\r\""),
                Case.rejected("\r\n", 1, "not a number: \"\\r\""),
                Case.rejected("\r5\n", 1, "not a number: \"\\r\""),
                Case.rejected("abc\r\n", 1, "not a number: \"a\""),
                Case.rejected("abc", 1, "not a number: \"a\""),
                Case.rejected("12a\n", 3, "not a number: \"12a\""),
                Case.rejected("12 a\n", 4, "not a number: \"12 a\""),
                Case.rejected("1 2\n", 3, "not a number: \"1 2\""),
                Case.rejected("1\r2\n", 3, "not a number: \"1\\r2\""),
                Case.rejected("1\t-\n", 3, "not a number: \"1\\t-\""),
                Case.rejected("-\n", 2, "not a number: \"-\\n\""),
                Case.rejected("+\n", 2, "not a number: \"+\\n\""),
                Case.rejected("- 1\n", 2, "not a number: \"- \""),
                Case.rejected("+-1\n", 2, "not a number: \"+-\""),
                Case.rejected("--1\n", 2, "not a number: \"--\""),
                Case.rejected("1-\n", 2, "not a number: \"1-\""),
                Case.rejected("1+1\n", 2, "not a number: \"1+\""),
                Case.rejected("0x10\n", 2, "not a number: \"0x\""),
                Case.rejected("1e3\n", 2, "not a number: \"1e\""),
                Case.rejected("1.5\n", 2, "not a number: \"1.\""),
                Case.rejected("1,000\n", 2, "not a number: \"1,\""),
                Case.rejected("\u0000\n", 1, "not a number: \"\\x00\""),
                Case.rejected("1\u0000\n", 2, "not a number: \"1\\x00\""),
                Case.rejected("12\u00ff\n", 3, "not a number: \"12\\xff\""),
                Case.rejected("\u00d9\u00a1\n", 1, "not a number: \"\\xd9\""),
                Case.rejected("\u001b[31m1\n", 1, "not a number: \"\\x1b\""),
                Case.rejected("1 \u001b[2J\n", 3, "not a number: \"1 \\x1b\""),
                Case.rejected("\u000c1\n", 1, "not a number: \"\\x0c\""),
                Case.rejected("\u000b1\n", 1, "not a number: \"\\x0b\""),
                Case.rejected("1\\\n", 2, "not a number: \"1\\\\\""),
                Case.rejected("9\"\n", 2, "not a number: \"9\"\""),

                Case.rejected("9223372036854775808\n", 19, "offset out of range: \"9223372036854775808\""),
                Case.rejected("+9223372036854775808\n", 20, "offset out of range: \"+9223372036854775808\""),
                Case.rejected("-9223372036854775809\n", 20, "offset out of range: \"-9223372036854775809\""),
                Case.rejected("92233720368547758070\n", 20, "offset out of range: \"92233720368547758070\""),
                Case.rejected("-92233720368547758080\n", 21, "offset out of range: \"-92233720368547758080\""),
                Case.rejected("99999999999999999999\n", 19, "offset out of range: \"" + "9".repeat(19) + "\""),
                Case.rejected(" 000018446744073709551616", 25,
                        "offset out of range: \" 000018446744073709551616\""),

                // the 65th byte must be the newline
                Case.rejected("0".repeat(65) + "\n", 65, "header longer than 64 bytes: \"" + "0".repeat(65) + "\""),
                Case.rejected("0".repeat(100), 65, "header longer than 64 bytes: \"" + "0".repeat(65) + "\""),
                Case.rejected(" ".repeat(64) + "1\n", 65, "header longer than 64 bytes: \"" + " ".repeat(64) + "1\""),
                Case.rejected("1" + " ".repeat(64) + "\n", 65, "header longer than 64 bytes: \"1" + " ".repeat(64) + "\""),
                Case.rejected("\t".repeat(64) + "\n", 65, "not a number: \"" + "\\t".repeat(64) + "\\n\""),

                Case.incomplete(""),
                Case.incomplete("-"),
                Case.incomplete(" \t+12 \r"),
                Case.incomplete("0".repeat(64)),
                Case.incomplete("-9223372036854775808"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("grammar")
    void parsesTheSameWhole(Case c) {
        assertOutcome(c, parse(c.bytes()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("grammar")
    void parsesTheSameByteByByte(Case c) {
        int[] everyByte = IntStream.range(1, c.bytes().length).toArray();
        assertOutcome(c, parse(c.bytes(), everyByte));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("grammar")
    void parsesTheSameSplitAtEveryPosition(Case c) {
        for (int cut = 0; cut <= c.bytes().length; cut++) {
            assertOutcome(c, parse(c.bytes(), cut));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("grammar")
    void stopsAtTheFirstBadByte(Case c) {
        HeaderParser parser = new DecimalHeaderParser();
        byte[] bytes = c.bytes();
        for (int i = 0; i < c.consumed(); i++) {
            Status expected = i + 1 < c.consumed() ? Status.INCOMPLETE : c.status();
            assertEquals(expected, parser.feed(ByteBuffer.wrap(bytes, i, 1)), "after byte " + (i + 1));
        }
    }

    @Test
    void leavesBytesAfterTheNewlineInTheBuffer() {
        ByteBuffer in = ByteBuffer.wrap(" -12\r\nHELLO".getBytes(ISO_8859_1));
        HeaderParser parser = new DecimalHeaderParser();

        assertEquals(Status.COMPLETE, parser.feed(in));
        assertEquals(6, in.position());
        assertEquals("HELLO", ISO_8859_1.decode(in).toString());
    }

    @Test
    void consumesNothingOnceComplete() {
        HeaderParser parser = new DecimalHeaderParser();
        parser.feed(ByteBuffer.wrap("7\n".getBytes(ISO_8859_1)));
        ByteBuffer more = ByteBuffer.wrap("8\n".getBytes(ISO_8859_1));

        assertEquals(Status.COMPLETE, parser.feed(more));
        assertEquals(0, more.position());
        assertEquals(7, parser.requestedOffset());
        assertNull(parser.rejection());
    }

    @Test
    void consumesNothingOnceRejected() {
        HeaderParser parser = new DecimalHeaderParser();
        parser.feed(ByteBuffer.wrap("x".getBytes(ISO_8859_1)));
        ByteBuffer more = ByteBuffer.wrap("8\n".getBytes(ISO_8859_1));

        assertEquals(Status.REJECTED, parser.feed(more));
        assertEquals(0, more.position());
        assertEquals("not a number: \"x\"", parser.rejection());
    }

    @Test
    void readsNoFurtherThanTheLongestHeaderPlusOne() {
        ByteBuffer flood = ByteBuffer.allocate(10 << 20);
        Arrays.fill(flood.array(), (byte) ' ');
        HeaderParser parser = new DecimalHeaderParser();

        assertEquals(Status.REJECTED, parser.feed(flood));
        assertEquals(65, flood.position());
        assertEquals("header longer than 64 bytes: \"" + " ".repeat(65) + "\"", parser.rejection());
    }

    @Test
    void rejectionIsOneLineOfPrintableAsciiWhateverTheByte() {
        for (int b = 0; b < 256; b++) {
            if (b == '\n') {
                continue;
            }
            HeaderParser parser = new DecimalHeaderParser();
            parser.feed(ByteBuffer.wrap(new byte[] {'1', (byte) b, 'x'}));

            assertEquals(Status.REJECTED, parser.status(), "byte " + b);
            assertTrue(parser.rejection().chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e),
                    parser.rejection());
        }
    }

    @Test
    void statusStartsIncomplete() {
        HeaderParser parser = new DecimalHeaderParser();

        assertEquals(Status.INCOMPLETE, parser.status());
        assertNull(parser.rejection());
    }

    private record Outcome(Status status, long offset, String rejection, int consumed) {
    }

    /**
     * Feeds {@code input} in pieces cut at the given positions, each in its
     * own buffer, checking that nothing is consumed once parsing is done.
     */
    private static Outcome parse(byte[] input, int... cuts) {
        HeaderParser parser = new DecimalHeaderParser();
        List<Integer> bounds = new ArrayList<>();
        bounds.add(0);
        Arrays.stream(cuts).forEach(bounds::add);
        bounds.add(input.length);
        int consumed = 0;
        for (int i = 0; i + 1 < bounds.size(); i++) {
            Status before = parser.status();
            ByteBuffer piece = ByteBuffer.wrap(input, bounds.get(i), bounds.get(i + 1) - bounds.get(i));
            int start = piece.position();
            Status after = parser.feed(piece);
            assertEquals(after, parser.status());
            if (before != Status.INCOMPLETE) {
                assertEquals(start, piece.position(), "consumed after " + before);
            }
            consumed += piece.position() - start;
        }
        long offset = parser.status() == Status.COMPLETE ? parser.requestedOffset() : 0;
        return new Outcome(parser.status(), offset, parser.rejection(), consumed);
    }

    private static void assertOutcome(Case c, Outcome actual) {
        assertAll(c.toString(),
                () -> assertEquals(c.status(), actual.status(), "status"),
                () -> assertEquals(c.offset(), actual.offset(), "offset"),
                () -> assertEquals(c.rejection(), actual.rejection(), "rejection"),
                () -> assertEquals(c.consumed(), actual.consumed(), "bytes consumed"));
    }
}
