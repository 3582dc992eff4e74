package io.tailsrv.protocol.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.LogText;
import io.tailsrv.api.OffsetProtocol;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The header parser against arbitrary bytes split arbitrarily across reads,
 * compared with a reference that knows nothing of incremental parsing: a
 * regular expression for the grammar and {@link BigInteger} for the range.
 * Whatever arrives, the parser yields the offset the grammar defines or
 * rejects, nothing escapes it, and what it keeps stays bounded.
 */
class HeaderParserPropertiesTest {

    private static final int MAX = OffsetProtocol.MAX_HEADER_BYTES;
    private static final Pattern HEADER = Pattern.compile("[ \t]*([+-]?[0-9]+)[ \t\r]*");
    /** What a header can start with: every prefix of one, ignoring the range of the number. */
    private static final Pattern PREFIX = Pattern.compile("[ \t]*(?:[+-]?|([+-]?[0-9]+)[ \t\r]*)");
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    /** What the grammar says of {@code input}, and how many bytes a parser reads to know it. */
    private record Expected(Status status, long offset, String reason, int consumed) {
    }

    /**
     * The grammar, applied to ever longer prefixes: the verdict falls at the
     * newline, at the 65th byte, or at the first byte no continuation could
     * make valid (the number already out of range counts as such).
     */
    private static Expected reference(byte[] input) {
        for (int k = 1; k <= input.length; k++) {
            String prefix = new String(input, 0, k, ISO_8859_1);
            if (input[k - 1] == '\n') {
                Matcher header = HEADER.matcher(prefix.substring(0, k - 1));
                if (header.matches() && fitsInLong(new BigInteger(header.group(1)))) {
                    return new Expected(Status.COMPLETE, new BigInteger(header.group(1)).longValueExact(), null, k);
                }
                return new Expected(Status.REJECTED, 0, "not a number", k);
            }
            if (k > MAX) {
                return new Expected(Status.REJECTED, 0, "header longer than 64 bytes", k);
            }
            Matcher start = PREFIX.matcher(prefix);
            if (!start.matches()) {
                return new Expected(Status.REJECTED, 0, "not a number", k);
            }
            if (start.group(1) != null) {
                if (!fitsInLong(new BigInteger(start.group(1)))) {
                    return new Expected(Status.REJECTED, 0, "offset out of range", k);
                }
            }
        }
        return new Expected(Status.INCOMPLETE, 0, null, input.length);
    }

    private static boolean fitsInLong(BigInteger value) {
        return value.compareTo(MIN_LONG) >= 0 && value.compareTo(MAX_LONG) <= 0;
    }

    // ---- properties ----

    @Property(tries = 3000)
    void grammarLikeBytesParseAsTheReferenceSaysHoweverSplit(
            @ForAll("grammarLike") byte[] input, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        assertAsReference(input, pieces, direct);
    }

    @Property(tries = 3000)
    void builtHeadersAndTheirMutantsParseAsTheReferenceSays(
            @ForAll("headers") byte[] input, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        assertAsReference(input, pieces, direct);
    }

    @Property(tries = 2000)
    void arbitraryBytesParseAsTheReferenceSays(
            @ForAll @Size(max = 200) byte[] input, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        assertAsReference(input, pieces, direct);
    }

    /**
     * Megabytes of what could still be a header (blanks, zeros, trailing
     * blanks after a number) are turned away after 65 bytes, and the parser
     * keeps no more than after its first byte.
     */
    @Property(tries = 40)
    void aFloodIsRejectedAfterSixtyFiveBytesAndKeepsNothingMore(
            @ForAll("viableStarts") String start, @ForAll("fillers") byte filler,
            @ForAll @IntRange(min = 1, max = 4) int mebibytes, @ForAll @IntRange(min = 1, max = 65536) int piece) {
        byte[] flood = new byte[mebibytes << 20];
        byte[] head = start.getBytes(ISO_8859_1);
        Arrays.fill(flood, filler);
        System.arraycopy(head, 0, flood, 0, head.length);
        HeaderParser parser = new DecimalOffsetProtocol().newParser();
        parser.feed(ByteBuffer.wrap(flood, 0, 1));
        long retainedAtFirstByte = retained(parser);

        long consumed = 1;
        for (int at = 1; at < flood.length; at += piece) {
            ByteBuffer in = ByteBuffer.wrap(flood, at, Math.min(piece, flood.length - at));
            int before = in.position();
            parser.feed(in);
            consumed += in.position() - before;
        }

        assertEquals(Status.REJECTED, parser.status());
        assertTrue(consumed <= MAX + 1, "consumed " + consumed + " bytes of " + flood.length);
        assertTrue(retained(parser) <= retainedAtFirstByte + 4L * (MAX + 1) + 64,
                "kept " + retained(parser) + " bytes, " + retainedAtFirstByte + " after the first byte");
    }

    // ---- generators ----

    /** Bytes mostly from the grammar's alphabet, with some of anything. */
    @Provide
    Arbitrary<byte[]> grammarLike() {
        Arbitrary<Byte> oneByte = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.bytes().between((byte) '0', (byte) '9')),
                Tuple.of(8, Arbitraries.of((byte) ' ')),
                Tuple.of(4, Arbitraries.of((byte) '\t', (byte) '\r')),
                Tuple.of(5, Arbitraries.of((byte) '\n')),
                Tuple.of(4, Arbitraries.of((byte) '+', (byte) '-')),
                Tuple.of(6, Arbitraries.bytes()));
        return oneByte.list().ofMaxSize(90).map(HeaderParserPropertiesTest::toArray);
    }

    /**
     * Headers built from the grammar's parts (numbers near the ends of the
     * range included), then often mutated: a byte replaced, inserted or
     * removed, or the newline dropped.
     */
    @Provide
    Arbitrary<byte[]> headers() {
        Arbitrary<String> blanks = Arbitraries.strings().withChars(' ', '\t').ofMaxLength(12);
        Arbitrary<String> sign = Arbitraries.of("", "", "+", "-");
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                Arbitraries.bigIntegers().between(MAX_LONG.subtract(BigInteger.valueOf(20)),
                        MAX_LONG.add(BigInteger.valueOf(20))).map(BigInteger::toString),
                Arbitraries.integers().between(0, 30).map(zeros -> "0".repeat(zeros) + "9223372036854775808"));
        Arbitrary<String> trailing = Arbitraries.strings().withChars(' ', '\t', '\r').ofMaxLength(12);
        Arbitrary<String> after = Arbitraries.of("\n", "\n", "\n", "", "\nmore\n", "\r\n");
        Arbitrary<String> header = Combinators.combine(blanks, sign, number, trailing, after)
                .as((b, s, n, t, a) -> b + s + n + t + a);
        return Combinators.combine(header, Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 1000), Arbitraries.bytes())
                .as((text, mutation, where, with) -> mutate(text.getBytes(ISO_8859_1), mutation, where, with));
    }

    /** How a stream is cut into reads: piece lengths, zero-length reads included, used in turn. */
    @Provide
    Arbitrary<List<Integer>> pieces() {
        return Arbitraries.integers().between(0, 70).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Starts that leave a header still possible, for the flood to continue. */
    @Provide
    Arbitrary<String> viableStarts() {
        return Arbitraries.of("", " ", "\t", "-", "+", "0", "12", "-000", "7 ", "7\r", "\t+1\t");
    }

    @Provide
    Arbitrary<Byte> fillers() {
        return Arbitraries.of((byte) ' ', (byte) '\t', (byte) '\r', (byte) '0', (byte) '5');
    }

    // ---- checks ----

    private static void assertAsReference(byte[] input, List<Integer> pieces, boolean direct) {
        Expected expected = reference(input);
        HeaderParser parser = new DecimalOffsetProtocol().newParser();
        int consumed = 0;
        int at = 0;
        for (int i = 0; at < input.length || i < pieces.size(); i++) {
            int length = Math.min(pieces.get(i % pieces.size()), input.length - at);
            if (i >= pieces.size() && length == 0) {
                length = input.length - at; // the pieces ran out: the rest in one read
            }
            ByteBuffer in = piece(input, at, length, direct);
            Status before = parser.status();
            int start = in.position();
            Status after;
            try {
                after = parser.feed(in);
            } catch (RuntimeException e) {
                throw new AssertionError("feed threw on " + show(input), e);
            }
            assertEquals(after, parser.status(), "feed's result is the status");
            if (before != Status.INCOMPLETE) {
                assertEquals(before, after, "a verdict never changes");
                assertEquals(start, in.position(), "nothing is read after the verdict");
            }
            consumed += in.position() - start;
            at += length;
        }
        String what = show(input) + " in pieces " + pieces;
        assertEquals(expected.status(), parser.status(), what);
        assertEquals(expected.consumed(), consumed, "bytes consumed of " + what);
        if (expected.status() == Status.COMPLETE) {
            assertEquals(expected.offset(), parser.requestedOffset(), what);
            assertNull(parser.rejection(), what);
        } else if (expected.status() == Status.REJECTED) {
            assertRejection(parser.rejection(), expected.reason(), Arrays.copyOf(input, consumed), what);
        } else {
            assertNull(parser.rejection(), what);
        }
    }

    /**
     * The rejection names the reason and quotes exactly the bytes read, as
     * one line of printable ASCII from which those bytes can be read back.
     */
    private static void assertRejection(String rejection, String reason, byte[] read, String what) {
        assertTrue(rejection.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), "printable ASCII only: " + rejection);
        String prefix = reason + ": \"";
        assertTrue(rejection.startsWith(prefix) && rejection.endsWith("\""), rejection + " for " + what);
        assertArrayEquals(read, unescape(rejection.substring(prefix.length(), rejection.length() - 1)),
                "the quoted bytes of " + rejection);
    }

    /** The inverse of the log escaping, written from its contract: \n \r \t \\ \xNN, else the byte. */
    private static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> fail("unknown escape \\" + e + " in " + text);
            }
        }
        return out.toByteArray();
    }

    /**
     * Bytes the parser keeps, by its fields: it may hold primitives, enums,
     * strings and byte arrays; anything else (a growing collection, say)
     * fails here rather than go unmeasured.
     */
    private static long retained(HeaderParser parser) {
        long total = 0;
        for (Field field : parser.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value;
            try {
                value = field.get(parser);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            Class<?> type = field.getType();
            if (type.isPrimitive()) {
                total += 8;
            } else if (value == null || type.isEnum()) {
                total += 0;
            } else if (value instanceof String s) {
                total += s.length();
            } else if (value instanceof byte[] bytes) {
                total += bytes.length;
            } else {
                fail("the parser keeps a " + type.getName() + " in " + field.getName() + ": measure it here");
            }
        }
        return total;
    }

    private static ByteBuffer piece(byte[] input, int at, int length, boolean direct) {
        if (!direct) {
            return ByteBuffer.wrap(input, at, length);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        buffer.put(input, at, length).flip();
        return buffer;
    }

    private static byte[] mutate(byte[] bytes, int mutation, int where, byte with) {
        if (bytes.length == 0) {
            return bytes;
        }
        int at = where % bytes.length;
        switch (mutation) {
            case 1 -> { // replace
                byte[] out = bytes.clone();
                out[at] = with;
                return out;
            }
            case 2 -> { // insert
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = with;
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                return out;
            }
            case 3 -> { // remove
                byte[] out = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
                return out;
            }
            default -> {
                return bytes; // as built
            }
        }
    }

    private static byte[] toArray(List<Byte> bytes) {
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static String show(byte[] input) {
        return '"' + LogText.escape(input, 0, input.length) + '"';
    }
}
