package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The framer as the server drives it (a file growing in arbitrary steps,
 * read in chunks no larger than its buffers, each chunk framed into an
 * empty buffer of the same size, the unframed rest read again next time),
 * its output read back as a browser's EventSource reads it. Every event's
 * data is the bytes between the previous id and its own, as the framing
 * rules make them; ids rise and leave no byte out.
 */
class EventFramerPropertiesTest {

    /** An event as EventSource dispatches it: its data (before UTF-8 decoding) and its last event id. */
    private record Event(byte[] data, String id) {
    }

    @Property(tries = 1500)
    void eventSourceReadsBackEveryByteOfEveryLine(
            @ForAll("files") byte[] file, @ForAll("growth") List<Integer> growth,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) long start,
            @ForAll @IntRange(min = 40, max = 600) int capacity, @ForAll boolean direct) {
        LineEventFramer framer = new LineEventFramer(start);
        byte[] stream = serve(framer, file, growth, capacity, direct);

        int framed = checkEvents(eventSource(stream), file, start);
        assertEquals(start + framed, framer.offset());
        for (int i = framed; i < file.length; i++) {
            assertTrue(file[i] != '\n', "a complete line was left unframed at " + i);
        }
    }

    /** With buffers larger than any line's event, no line is cut: one event per line, exactly. */
    @Property(tries = 500)
    void withRoomEveryEventIsOneWholeLine(
            @ForAll("files") byte[] file, @ForAll("growth") List<Integer> growth, @ForAll boolean direct) {
        byte[] stream = serve(new LineEventFramer(0), file, growth, 64 * 1024, direct);

        List<Event> events = eventSource(stream);
        long previous = 0;
        for (Event event : events) {
            long id = Long.parseLong(event.id());
            assertEquals('\n', file[(int) id - 1], "an event ends with its line");
            previous = id;
        }
        int lines = 0;
        for (byte b : file) {
            lines += b == '\n' ? 1 : 0;
        }
        assertEquals(lines, events.size());
        assertEquals(lastNewline(file) + 1, previous);
    }

    /**
     * Grows the file by {@code growth}'s steps, in turn, and after each step
     * frames all it can as {@code FramingFileSender} does; returns the bytes
     * written to the client.
     */
    private static byte[] serve(LineEventFramer framer, byte[] file, List<Integer> growth, int capacity,
            boolean direct) {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        ByteBuffer in = allocate(capacity, direct);
        ByteBuffer out = allocate(capacity, direct);
        int length = 0;
        int framed = 0;
        for (int step = 0; length < file.length; step++) {
            length = Math.min(file.length, length + growth.get(step % growth.size()));
            while (framed < length) {
                in.clear().put(file, framed, Math.min(capacity, length - framed)).flip();
                out.clear();
                int n = framer.frame(in, out);
                assertEquals(n, in.position(), "what is framed is consumed");
                if (n == 0) {
                    assertEquals(0, out.position(), "nothing written when nothing is framed");
                    break;
                }
                framed += n;
                byte[] written = new byte[out.flip().remaining()];
                out.get(written);
                for (byte b : written) {
                    assertTrue(b != '\r', "a CR in the output would end an EventSource line");
                }
                client.writeBytes(written);
            }
        }
        return client.toByteArray();
    }

    /**
     * Each event against the file bytes it stands for, between the previous
     * id (or {@code start}) and its own; returns how many bytes they cover.
     */
    private static int checkEvents(List<Event> events, byte[] file, long start) {
        long previous = start;
        for (Event event : events) {
            long id = Long.parseLong(event.id());
            assertTrue(id > previous, "ids rise: " + id + " after " + previous);
            byte[] piece = Arrays.copyOfRange(file, (int) (previous - start), (int) (id - start));
            assertArrayEquals(asEventData(piece), event.data(), () -> "the event ending at " + id);
            previous = id;
        }
        return (int) (previous - start);
    }

    /**
     * What EventSource should give for these file bytes: a whole line
     * without its LF and a CR before it; a cut piece as it is; each CR left
     * becomes LF (a data field ends at it, and fields are joined with LF).
     */
    private static byte[] asEventData(byte[] piece) {
        int end = piece.length;
        if (end > 0 && piece[end - 1] == '\n') {
            end--;
            if (end > 0 && piece[end - 1] == '\r') {
                end--;
            }
        }
        byte[] data = Arrays.copyOf(piece, end);
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\r') {
                data[i] = '\n';
            }
        }
        return data;
    }

    /**
     * The WHATWG HTML standard's event stream interpretation, on bytes:
     * lines end at CRLF, LF or CR; a blank line dispatches the data buffer
     * (less its last LF) unless it is empty; {@code :} starts a comment;
     * {@code data} appends its value and LF, {@code id} sets the last event
     * id; one space after the colon is dropped; an unfinished event at the
     * end is discarded.
     */
    private static List<Event> eventSource(byte[] stream) {
        List<Event> events = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String lastId = "";
        int at = 0;
        while (at < stream.length) {
            int end = at;
            while (end < stream.length && stream[end] != '\n' && stream[end] != '\r') {
                end++;
            }
            if (end == stream.length) {
                break; // a line without its end: not a line yet
            }
            byte[] line = Arrays.copyOfRange(stream, at, end);
            at = end + (stream[end] == '\r' && end + 1 < stream.length && stream[end + 1] == '\n' ? 2 : 1);
            if (line.length == 0) {
                if (data.size() > 0) {
                    byte[] buffer = data.toByteArray();
                    events.add(new Event(Arrays.copyOf(buffer, buffer.length - 1), lastId));
                }
                data.reset();
                continue;
            }
            int colon = indexOf(line, (byte) ':');
            if (colon == 0) {
                continue;
            }
            String field = new String(line, 0, colon < 0 ? line.length : colon, ISO_8859_1);
            int valueStart = colon < 0 ? line.length : colon + 1;
            if (valueStart < line.length && line[valueStart] == ' ') {
                valueStart++;
            }
            byte[] value = Arrays.copyOfRange(line, valueStart, line.length);
            if (field.equals("data")) {
                data.writeBytes(value);
                data.write('\n');
            } else if (field.equals("id") && indexOf(value, (byte) 0) < 0) {
                lastId = new String(value, ISO_8859_1);
            }
        }
        return events;
    }

    // ---- generators ----

    /** Log-like bytes: text, many LFs and CRs, UTF-8 sequences of every length, and any byte. */
    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.bytes().between((byte) 'a', (byte) 'z').map(b -> new byte[] {b})),
                Tuple.of(8, Arbitraries.of(new byte[] {'\n'}, new byte[] {'\r', '\n'})),
                Tuple.of(3, Arbitraries.of(new byte[] {'\r'})),
                Tuple.of(2, Arbitraries.of(new byte[] {':'}, new byte[] {' '}, "data: ".getBytes(ISO_8859_1), new byte[] {0})),
                Tuple.of(4, Arbitraries.of("\u00e9", "\u20ac", "\ud83d\ude00").map(s -> s.getBytes(UTF_8))),
                Tuple.of(3, Arbitraries.bytes().map(b -> new byte[] {b})),
                Tuple.of(1, Arbitraries.integers().between(50, 900).map(n -> "x".repeat(n).getBytes(ISO_8859_1))));
        return piece.list().ofMaxSize(300).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    /** How the file grows: the sizes of its appends, used in turn. */
    @Provide
    Arbitrary<List<Integer>> growth() {
        return Arbitraries.integers().between(1, 700).list().ofMinSize(1).ofMaxSize(10);
    }

    private static ByteBuffer allocate(int capacity, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNewline(byte[] file) {
        for (int i = file.length - 1; i >= 0; i--) {
            if (file[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
