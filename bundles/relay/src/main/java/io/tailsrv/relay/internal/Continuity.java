package io.tailsrv.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The check that an upstream still serves the stream the file holds: the
 * relay asks for the file's last {@link #WINDOW} bytes again (fewer if the
 * file is shorter) and compares them with what arrives, before it appends
 * a byte. A file of the same stream matches; one that was truncated and
 * written again, rotated or replaced differs within those bytes, unless it
 * happens to repeat them exactly (then what follows is a continuation of
 * the same bytes, and appending it is right by any measure the relay has).
 * One per connection. Loop thread only.
 */
final class Continuity {

    /**
     * How many bytes are asked for again: a few log lines, so that a rotated file
     * whose lines share a layout still differs somewhere, yet one TCP window.
     */
    static final int WINDOW = 4096;

    private final long start;
    private final ByteBuffer expected;

    private Continuity(long start, ByteBuffer expected) {
        this.start = start;
        this.expected = expected;
    }

    /** The window ending at {@code file}'s end, read back from it. */
    static Continuity of(RelayFile file) throws IOException {
        long size = file.size();
        int window = (int) Math.min(size, WINDOW);
        ByteBuffer expected = ByteBuffer.allocate(window);
        file.read(size - window, expected);
        return new Continuity(size - window, expected.flip());
    }

    /** The offset to ask the upstream for: the window's first byte. */
    long start() {
        return start;
    }

    /** The window's length. */
    int length() {
        return expected.limit();
    }

    /** How many of the window's bytes have arrived (and matched). */
    int checked() {
        return expected.position();
    }

    boolean complete() {
        return !expected.hasRemaining();
    }

    /**
     * Compares the first bytes of {@code received} with the window's next
     * ones, taking as many as are left of the window.
     *
     * @return -1 if they are the same; else the file offset of the first byte that differs,
     *         and {@code received} is left as it was
     */
    long check(ByteBuffer received) {
        int n = Math.min(received.remaining(), expected.remaining());
        int at = expected.position();
        int mismatch = received.slice(received.position(), n).mismatch(expected.slice(at, n));
        if (mismatch >= 0) {
            return start + at + mismatch;
        }
        received.position(received.position() + n);
        expected.position(at + n);
        return -1;
    }
}
