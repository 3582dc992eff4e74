package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;
import io.tailsrv.api.LogText;
import io.tailsrv.http.internal.Exchange.Response;
import io.tailsrv.http.internal.Split.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The request reader against arbitrary bytes split arbitrarily across heap
 * and direct buffers: it never throws, never reads past the head's blank
 * line, reads the same however the bytes are split, keeps to the 8 KiB
 * limit whatever is sent, and reads requests built from valid parts as
 * those parts say.
 */
class RequestHeadPropertiesTest {

    private static final int MAX = HttpProtocol.MAX_HEAD_BYTES;

    /** A request built from valid parts, and what it asks for. */
    private record Built(String text, boolean head, long offset, boolean follow) {
    }

    // ---- any bytes ----

    @Property(tries = 2000)
    void arbitraryBytesNeverThrowNorReadPastTheHead(
            @ForAll @Size(max = 300) byte[] input, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        assertReadsWithinTheHead(input, pieces, direct);
    }

    @Property(tries = 3000)
    void requestLikeBytesNeverThrowNorReadPastTheHead(
            @ForAll("requestLike") byte[] input, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        assertReadsWithinTheHead(input, pieces, direct);
    }

    // ---- requests built from parts ----

    @Property(tries = 1000)
    void builtRequestsAskForWhatTheirPartsSay(
            @ForAll("built") Built built, @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct,
            @ForAll @LongRange(min = -1, max = 1_000_000) long size) {
        byte[] input = built.text().getBytes(ISO_8859_1);
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();
        int consumed = 0;
        int at = 0;
        int[] cuts = Split.cuts(input.length, pieces);
        for (int i = 0; i <= cuts.length; i++) {
            int cut = i < cuts.length ? cuts[i] : input.length;
            ByteBuffer piece = Split.piece(input, at, cut - at, direct);
            reader.feed(piece);
            consumed += piece.position() - 3;
            at = cut;
        }
        assertEquals(Status.COMPLETE, reader.feed(ByteBuffer.allocate(0)),
                () -> LogText.escape(built.text()) + ": " + reader.rejection().reason());
        assertEquals(input.length, consumed);

        HttpResponse answer = reader.request().respond(size, Exchange.TEXT);
        Response response = Exchange.parse(answer);
        long known = Math.max(size, 0);
        long start = built.offset() >= 0 ? built.offset() : Math.max(0, known + built.offset());
        assertEquals(200, response.status());
        assertEquals(Long.toString(start), response.header("Tailsrv-Offset"));
        assertEquals(start, answer.start());
        if (built.head()) {
            assertFalse(answer.streamsFile());
            assertEquals(Long.toString(Math.max(0, known - start)), response.header("Content-Length"));
        } else if (built.follow()) {
            assertTrue(answer.streamsFile());
            assertEquals(-1, answer.end());
        } else {
            assertEquals(Math.max(start, known), answer.end());
            assertEquals(Long.toString(answer.end() - start), response.header("Content-Length"));
        }
    }

    @Property(tries = 2000)
    void builtRequestsAndTheirMutantsReadTheSameHoweverSplit(
            @ForAll("built") Built built, @ForAll @IntRange(min = 0, max = 3) int mutation,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte with,
            @ForAll("pieces") List<Integer> pieces, @ForAll boolean direct) {
        byte[] input = mutate(built.text().getBytes(ISO_8859_1), mutation, where, with);
        assertReadsWithinTheHead(input, pieces, direct);
    }

    // ---- floods ----

    /**
     * Megabytes of what could still be a head (a target, a method, a field
     * name or value, field after field) are turned away with 431 at the
     * limit's next byte, and the reader never holds more than the limit.
     */
    @Property(tries = 40)
    void floodsAreCutAtTheLimit(
            @ForAll("floods") Tuple2<String, String> flood, @ForAll @IntRange(min = 1, max = 2) int mebibytes,
            @ForAll @IntRange(min = 1, max = 65536) int piece, @ForAll boolean direct) throws Exception {
        byte[] start = flood.get1().getBytes(ISO_8859_1);
        byte[] filler = flood.get2().getBytes(ISO_8859_1);
        byte[] bytes = new byte[mebibytes << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = i < start.length ? start[i] : filler[(i - start.length) % filler.length];
        }
        ByteBuffer all = direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();
        long consumed = 0;
        for (int at = 0; at < bytes.length; at += piece) {
            ByteBuffer in = all.duplicate().limit(Math.min(at + piece, bytes.length)).position(at);
            reader.feed(in);
            consumed += in.position() - at;
        }

        assertEquals(Status.REJECTED, reader.feed(ByteBuffer.allocate(0)));
        assertEquals(431, reader.rejection().status());
        assertEquals(MAX + 1, consumed);
        assertTrue(held(reader) <= MAX + 1, "holds " + held(reader) + " bytes");
        Exchange.parse(reader.rejection());
    }

    // ---- checks ----

    /**
     * Reads {@code input} split by {@code pieces} and whole: both read the
     * same, and what they read stops at the head's end (its first empty
     * line), at the limit's next byte, or where the bytes run out.
     */
    private static void assertReadsWithinTheHead(byte[] input, List<Integer> pieces, boolean direct) {
        String what = LogText.escape(input, 0, input.length) + " in pieces " + pieces;
        Outcome split;
        Outcome whole;
        try {
            split = Split.feed(input, direct, Split.cuts(input.length, pieces));
            whole = Split.feed(input, !direct);
        } catch (RuntimeException e) {
            throw new AssertionError("threw on " + what, e);
        }
        assertEquals(whole, split, what);
        int end = headEnd(input);
        switch (split.status()) {
            case COMPLETE -> {
                assertEquals(end, split.consumed(), "a head ends at its first empty line: " + what);
                assertTrue(end <= MAX, what);
            }
            case REJECTED -> {
                assertTrue(split.consumed() <= MAX + 1, what);
                assertTrue(end < 0 || split.consumed() <= end, "read past the head's end: " + what);
                assertTrue(split.reason().chars().allMatch(c -> c >= 0x20 && c <= 0x7e), split.reason());
                assertTrue(split.answer().startsWith("HTTP/1.1 " + split.code() + " "), split.answer());
            }
            case INCOMPLETE -> {
                assertEquals(input.length, split.consumed(), what);
                assertTrue(input.length <= MAX, what);
            }
        }
    }

    /**
     * Where a head would end: just after the first LF that closes an empty
     * line (nothing, or a lone CR, since the previous LF); -1 if none does.
     * The request line is never empty, so a head's first line cannot be one.
     */
    private static int headEnd(byte[] input) {
        for (int i = 1; i < input.length; i++) {
            boolean emptyLine = input[i - 1] == '\n' || (input[i - 1] == '\r' && i >= 2 && input[i - 2] == '\n');
            if (input[i] == '\n' && emptyLine) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The bytes the reader keeps, whatever the client sends. */
    private static int held(HttpRequestReader reader) throws ReflectiveOperationException {
        Field head = RequestHeadReader.class.getDeclaredField("head");
        head.setAccessible(true);
        return ((byte[]) head.get(reader)).length;
    }

    // ---- generators ----

    /** How a stream is cut into reads: piece lengths, zero-length reads included, used in turn. */
    @Provide
    Arbitrary<List<Integer>> pieces() {
        return Arbitraries.integers().between(0, 90).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Bytes mostly from the pieces of requests, with some of anything. */
    @Provide
    Arbitrary<byte[]> requestLike() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("GET", "HEAD", "POST", "G")),
                Tuple.of(10, Arbitraries.of(" ", "/", "?", "&", "=", ":", ": ", "\t")),
                Tuple.of(10, Arbitraries.of("\r\n", "\n", "\r")),
                Tuple.of(6, Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.")),
                Tuple.of(6, Arbitraries.of("offset", "follow", "-", "0", "100", "%2D", "%")),
                Tuple.of(6, Arbitraries.of("Host", "Range", "bytes=", "0-9", "Accept", "text/event-stream",
                        "text/html", "Last-Event-ID", "If-Range", "Content-Length", "Transfer-Encoding")),
                Tuple.of(4, Arbitraries.strings().alpha().ofMaxLength(4)),
                Tuple.of(3, Arbitraries.chars().map(c -> Character.toString((char) (c & 0xff)))));
        Arbitrary<String> request = Arbitraries.oneOf(
                piece.list().ofMaxSize(50).map(pieces -> String.join("", pieces)),
                piece.list().ofMaxSize(30).map(pieces -> "GET / HTTP/1.1\r\n" + String.join("", pieces)));
        return request.map(text -> text.getBytes(ISO_8859_1));
    }

    /**
     * Requests as the grammar allows them: GET or HEAD; origin- or
     * absolute-form; offset and follow among other parameters, any
     * character percent-encoded or not; HTTP/1.0 or 1.1; Host spelled any
     * way; other fields with any name and value the grammar allows, and
     * whitespace around values; CRLF or LF after any line.
     */
    @Provide
    Arbitrary<Built> built() {
        Arbitrary<Long> offset = Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-2_000_000, 2_000_000),
                Arbitraries.of(0L, -0L, Long.MIN_VALUE, Long.MAX_VALUE, -1L, 1L));
        Arbitrary<String> offsetText = Combinators.combine(offset, Arbitraries.of("", "+", "-0", "000"))
                .as((value, prefix) -> value >= 0 && !prefix.equals("-0") ? prefix + value
                        : prefix.equals("000") && value < 0 ? "-000" + -value : Long.toString(value))
                .filter(text -> !text.equals("-000-9223372036854775808"));
        Arbitrary<List<String>> junk = Arbitraries.of("_=1733562000", "utm_source=x", "a", "", "x=%41%42", "off=1",
                "offset2=x", "Offset=x", "follow_=x").list().ofMaxSize(3);
        Arbitrary<Long> encoding = Arbitraries.longs();
        Arbitrary<String> form = Arbitraries.of("/", "http://tailsrv.test:4321/", "HTTP://[::1]/", "https://h.example/",
                "http://h.example");
        Arbitrary<List<Tuple2<String, String>>> fields = Combinators.combine(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        + "!#$%&'*+-.^_`|~").ofMinLength(1).ofMaxLength(20)
                        .filter(name -> !SPECIAL.contains(name.toLowerCase(Locale.ROOT))),
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u0080', '\u00e9', '\u00ff')
                        .ofMaxLength(40))
                .as(Tuple::of).list().ofMaxSize(8);
        Arbitrary<List<Boolean>> crlf = Arbitraries.of(true, false).list().ofMinSize(12).ofMaxSize(12);
        return Combinators.combine(Arbitraries.of(true, false), offsetText.injectNull(0.2),
                        Arbitraries.of("0", "1").injectNull(0.4), junk, encoding, form,
                        Combinators.combine(fields, Arbitraries.of("HTTP/1.1", "HTTP/1.0"),
                                Arbitraries.of("Host", "host", "HOST", "hOsT"), Arbitraries.of("", " ", "\t", "  \t "))
                                .as(Tuple::of),
                        crlf)
                .as((head, offsetValue, follow, others, mask, target, rest, ends) -> build(head, offsetValue, follow,
                        others, mask, target, rest.get1(), rest.get2(), rest.get3(), rest.get4(), ends));
    }

    private static final Set<String> SPECIAL = Set.of("host", "range", "if-range", "accept", "last-event-id",
            "transfer-encoding", "content-length");

    private static Built build(boolean head, String offset, String follow, List<String> junk, long mask,
            String form, List<Tuple2<String, String>> fields, String version, String hostName, String blank,
            List<Boolean> crlf) {
        List<String> parameters = new ArrayList<>(junk);
        if (offset != null) {
            parameters.add(encode("offset", mask) + "=" + encode(offset, mask >>> 7));
        }
        if (follow != null) {
            parameters.add(encode("follow", mask >>> 29) + "=" + encode(follow, mask >>> 37));
        }
        Collections.rotate(parameters, (int) (mask & 3));
        String target = form + (parameters.isEmpty() && (mask & 4) == 0 ? "" : "?" + String.join("&", parameters));
        StringBuilder text = new StringBuilder((head ? "HEAD " : "GET ") + target + " " + version);
        int line = 0;
        text.append(crlf.get(line++) ? "\r\n" : "\n");
        if (version.equals("HTTP/1.1") || (mask & 8) == 0) {
            text.append(hostName).append(':').append(blank).append("tailsrv.test:4321").append(blank);
            text.append(crlf.get(line++) ? "\r\n" : "\n");
        }
        for (Tuple2<String, String> field : fields) {
            text.append(field.get1()).append(':').append(blank).append(field.get2())
                    .append(crlf.get(line++ % crlf.size()) ? "\r\n" : "\n");
        }
        text.append(crlf.get(line % crlf.size()) ? "\r\n" : "\n");
        long value = offset == null ? 0 : Long.parseLong(offset);
        return new Built(text.toString(), head, value, !"0".equals(follow));
    }

    /** Percent-encodes the characters of {@code text} that {@code mask}'s bits say, one bit each, in turn. */
    private static String encode(String text, long mask) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append((mask >>> (i % 64) & 1) == 0 ? Character.toString(c) : String.format("%%%02X", (int) c));
        }
        return out.toString();
    }

    /** Pairs of a start and a filler, repeated after it, that keep a head possible. */
    @Provide
    Arbitrary<Tuple2<String, String>> floods() {
        return Arbitraries.of(
                Tuple.of("GET /?", "a"),
                Tuple.of("GET /?", "a=b&"),
                Tuple.of("GETGET", "T"),
                Tuple.of("GET / HTTP/1.1\r\nX-Long: ", "v"),
                Tuple.of("GET / HTTP/1.1\r\nX-Long: ", " \t"),
                Tuple.of("GET / HTTP/1.1\r\nX", "n"),
                Tuple.of("GET / HTTP/1.1\r\n", "X-Many: 1\r\n"),
                Tuple.of("HEAD http://h/ HTTP/1.0\n", "Cookie: a=b\n"));
    }

    /** A byte replaced, inserted or removed, or the bytes as built. */
    private static byte[] mutate(byte[] bytes, int mutation, int where, byte with) {
        int at = bytes.length == 0 ? 0 : where % bytes.length;
        switch (mutation) {
            case 0 -> {
                byte[] out = bytes.clone();
                if (out.length > 0) {
                    out[at] = with;
                }
                return out;
            }
            case 1 -> {
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = with;
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                return out;
            }
            case 2 -> {
                if (bytes.length == 0) {
                    return bytes;
                }
                byte[] out = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
                return out;
            }
            default -> {
                return Arrays.copyOf(bytes, bytes.length);
            }
        }
    }
}
