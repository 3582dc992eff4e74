package io.tailsrv.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.tailsrv.api.HeaderParser.Status;
import io.tailsrv.api.HttpRequestReader;
import io.tailsrv.api.HttpResponse;

/** Feeds a head to a reader in pieces, as a socket may deliver it, and says what came of it. */
final class Split {

    /**
     * What reading gave: the status; for COMPLETE the request's log line, for
     * REJECTED the status code and the reason; the bytes consumed; and the
     * answer as text: a COMPLETE request's response head for a file of
     * {@link #SIZE} bytes, or the rejection's head and body.
     */
    record Outcome(Status status, int code, String reason, String line, int consumed, String answer) {
    }

    /** The file size requests are answered for. */
    static final long SIZE = 123_456;

    private Split() {
    }

    /** Cut after every byte. */
    static int[] everyByte(int length) {
        return IntStream.range(1, length).toArray();
    }

    /**
     * Feeds {@code input} cut at the given positions, each piece in a buffer
     * of its own (direct or heap, at a non-zero position, as a reused
     * buffer would be), checking that nothing is consumed after the verdict.
     */
    static Outcome feed(byte[] input, boolean direct, int... cuts) {
        List<Integer> bounds = new ArrayList<>();
        bounds.add(0);
        for (int cut : cuts) {
            bounds.add(cut);
        }
        bounds.add(input.length);
        HttpRequestReader reader = Exchange.PROTOCOL.newReader();
        Status status = Status.INCOMPLETE;
        int consumed = 0;
        for (int i = 0; i + 1 < bounds.size(); i++) {
            ByteBuffer piece = piece(input, bounds.get(i), bounds.get(i + 1) - bounds.get(i), direct);
            int start = piece.position();
            Status before = status;
            status = reader.feed(piece);
            if (before != Status.INCOMPLETE) {
                assertEquals(before, status, "a verdict never changes");
                assertEquals(start, piece.position(), "nothing is read after the verdict");
            }
            consumed += piece.position() - start;
        }
        return switch (status) {
            case COMPLETE -> new Outcome(status, 0, null, reader.request().line(), consumed,
                    Exchange.text(reader.request().respond(SIZE, Exchange.TEXT).head()));
            case REJECTED -> {
                HttpResponse rejection = reader.rejection();
                yield new Outcome(status, rejection.status(), rejection.reason(), null, consumed,
                        Exchange.text(rejection.head()) + Exchange.text(rejection.body()));
            }
            case INCOMPLETE -> new Outcome(status, 0, null, null, consumed, null);
        };
    }

    /**
     * Where to cut {@code length} bytes so that the pieces have the given
     * lengths, used in turn (zero-length pieces included), until the
     * bytes run out (pieces all empty: once each, then the rest whole).
     */
    static int[] cuts(int length, List<Integer> pieces) {
        List<Integer> cuts = new ArrayList<>();
        boolean empty = pieces.stream().allMatch(piece -> piece == 0);
        int at = 0;
        for (int i = 0; at < length && (i < pieces.size() || !empty); i++) {
            at = Math.min(length, at + pieces.get(i % pieces.size()));
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code length} bytes of {@code input} from {@code from}, in a buffer holding other bytes around them. */
    static ByteBuffer piece(byte[] input, int from, int length, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length + 6) : ByteBuffer.allocate(length + 6);
        buffer.put(new byte[] {'G', 'E', 'T'}).put(input, from, length).put(new byte[] {'\r', '\n', '\n'});
        return buffer.position(3).limit(3 + length);
    }
}
