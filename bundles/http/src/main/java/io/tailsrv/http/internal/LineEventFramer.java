package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;

import io.tailsrv.api.EventFramer;

/**
 * One Server-Sent Event per line: {@code id: <offset after the line>\ndata:
 * <line>\n\n}, the line without its {@code \n} and without a {@code \r}
 * just before it.
 *
 * <p>EventSource ends a field at CR as well as at LF, so a CR inside a line
 * starts another {@code data:} field; EventSource joins a message's data
 * fields with {@code \n}, so such a line arrives with {@code \n} where it
 * had {@code \r}. Bytes go out as they are: EventSource decodes UTF-8, and
 * bytes that are not (a log in Latin-1, say) become U+FFFD there. A line
 * too long for {@code out} is cut where it is full (its id is then the
 * offset after the cut), between UTF-8 sequences where they allow it; the
 * rest follows as the next events. The {@code file} buffer given must be
 * able to hold as many bytes as {@code out}: a line is cut because it fills
 * {@code out}, which a line cut short by a smaller {@code file} never does.
 *
 * <p>Runs on the I/O threads: it allocates nothing per call, scans each
 * line's bytes twice (for its end and its CRs) and copies them out in bulk.
 */
final class LineEventFramer implements EventFramer {

    private static final byte[] ID = "id: ".getBytes(US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(US_ASCII);
    private static final byte[] END = "\n\n".getBytes(US_ASCII);
    /** What an event adds to its line, apart from its id's digits and its CRs. */
    private static final int OVERHEAD = ID.length + DATA.length + END.length;
    /** A CR inside a line becomes {@code \ndata: }: this many bytes more than the CR. */
    private static final int PER_CR = DATA.length - 1;

    private long offset;

    LineEventFramer(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset);
        }
        this.offset = offset;
    }

    @Override
    public long offset() {
        return offset;
    }

    /** {@inheritDoc} The bytes framed are consumed from {@code file}; the rest stay there. */
    @Override
    public int frame(ByteBuffer file, ByteBuffer out) {
        int framed = 0;
        while (file.hasRemaining()) {
            int from = file.position();
            int newline = indexOfNewline(file, from, file.limit());
            int end = newline < 0 ? file.limit() : newline;
            int content = newline >= 0 && end > from && file.get(end - 1) == '\r' ? end - 1 : end;
            int consumed = newline < 0 ? end - from : newline + 1 - from;
            long id = offset + consumed;
            long size = OVERHEAD + digits(id) + (content - from)
                    + (long) PER_CR * countCarriageReturns(file, from, content);
            if (size <= out.remaining()) {
                if (newline < 0) {
                    break; // it fits so far: wait for its newline
                }
                write(file, from, content, id, out);
                take(file, consumed);
                framed += consumed;
                continue;
            }
            if (framed == 0) {
                framed = cut(file, from, end, out);
            }
            break; // what did not fit goes first in the next call, with an empty buffer
        }
        return framed;
    }

    /**
     * Frames as much of the line at {@code from} as fits in {@code out},
     * but not a UTF-8 sequence's first bytes without its last ones (unless
     * nothing else fits, or they are not one).
     */
    private int cut(ByteBuffer file, int from, int end, ByteBuffer out) {
        long room = out.remaining() - OVERHEAD - digits(offset + (end - from));
        int fits = 0;
        for (long used = 0; from + fits < end; fits++) {
            used += file.get(from + fits) == '\r' ? 1 + PER_CR : 1;
            if (used > room) {
                break;
            }
        }
        if (fits == 0) {
            return 0;
        }
        int whole = fits;
        for (int back = 0; back < 3 && whole > 0 && isContinuation(file.get(from + whole)); back++) {
            whole--;
        }
        if (whole == 0 || isContinuation(file.get(from + whole))) {
            whole = fits;
        }
        write(file, from, from + whole, offset + whole, out);
        take(file, whole);
        return whole;
    }

    private void take(ByteBuffer file, int bytes) {
        file.position(file.position() + bytes);
        offset += bytes;
    }

    /** Writes one event: {@code id}, then bytes {@code [from, to)} of {@code file} as data fields split at CR. */
    private static void write(ByteBuffer file, int from, int to, long id, ByteBuffer out) {
        out.put(ID);
        putDecimal(out, id);
        int segment = from;
        for (int i = from; i < to; i++) {
            if (file.get(i) == '\r') {
                out.put(DATA);
                copy(file, segment, i, out);
                segment = i + 1;
            }
        }
        out.put(DATA);
        copy(file, segment, to, out);
        out.put(END);
    }

    private static void copy(ByteBuffer file, int from, int to, ByteBuffer out) {
        out.put(out.position(), file, from, to - from);
        out.position(out.position() + to - from);
    }

    private static void putDecimal(ByteBuffer out, long value) {
        int length = digits(value);
        int at = out.position() + length;
        for (long v = value; at > out.position(); v /= 10) {
            out.put(--at, (byte) ('0' + v % 10));
        }
        out.position(out.position() + length);
    }

    private static int digits(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    private static int indexOfNewline(ByteBuffer file, int from, int to) {
        for (int i = from; i < to; i++) {
            if (file.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int countCarriageReturns(ByteBuffer file, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (file.get(i) == '\r') {
                count++;
            }
        }
        return count;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
