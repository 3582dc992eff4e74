package io.tailsrv.http.internal;

/**
 * The one range of a {@code Range: bytes=...} header (RFC 9110 14.1.2):
 * {@code first-last}, {@code first-} or {@code -suffix}. Positions too
 * large for a long stand for {@link Long#MAX_VALUE}: no file is that long,
 * so they mean the same.
 */
final class ByteRange {

    /** A position not given: the first of a suffix range, the last of an open one. */
    private static final long NONE = -1;

    private final long first;
    private final long last;
    private final long suffix;
    /** The header's value, for the log. */
    private final String text;

    private ByteRange(long first, long last, long suffix, String text) {
        this.first = first;
        this.last = last;
        this.suffix = suffix;
        this.text = text;
    }

    /**
     * The range a {@code Range} header's value asks for; null when it is to
     * be ignored: a unit other than {@code bytes} (RFC 9110 14.2: ignored),
     * or several ranges (checked, then ignored: the answer is the response
     * without a range, which RFC 9110 allows, rather than a multipart one).
     */
    static ByteRange parse(String value) throws BadRequest {
        int equals = value.indexOf('=');
        String unit = equals < 0 ? value : value.substring(0, equals);
        if (equals <= 0 || !unit.chars().allMatch(RequestHeadReader::isTokenByte)) {
            throw malformed(value);
        }
        if (!unit.equalsIgnoreCase("bytes")) {
            return null;
        }
        ByteRange range = null;
        int count = 0;
        for (String element : value.substring(equals + 1).split(",", -1)) {
            String spec = element.strip();
            if (!spec.isEmpty()) { // RFC 9110 5.6.1: empty list elements are allowed, and do not count
                range = spec(spec, value);
                count++;
            }
        }
        if (count == 0) {
            throw malformed(value);
        }
        return count == 1 ? range : null;
    }

    /** Whether the range has a last position: a finite answer, even while the file follows. */
    boolean closed() {
        return first != NONE && last != NONE;
    }

    /** Where the range starts in a file of {@code size} bytes: at its first, or its suffix's length before the end. */
    long start(long size) {
        return first != NONE ? first : Math.max(0, size - suffix);
    }

    /**
     * Whether any byte of the range exists in a file of {@code size} bytes
     * (RFC 9110 14.1.2). A range whose last is before its first is invalid,
     * and refused as unsatisfiable, as nginx does.
     */
    boolean satisfiable(long size) {
        if (first == NONE) {
            return suffix > 0 && size > 0;
        }
        return first < size && (last == NONE || last >= first);
    }

    /** The byte after the range's last that exists in a file of {@code size} bytes; only if satisfiable. */
    long end(long size) {
        return last == NONE || last >= size ? size : last + 1;
    }

    @Override
    public String toString() {
        return text;
    }

    /** {@code 1*DIGIT "-" [1*DIGIT]} or {@code "-" 1*DIGIT}. */
    private static ByteRange spec(String spec, String value) throws BadRequest {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw malformed(value);
        }
        String before = spec.substring(0, dash);
        String after = spec.substring(dash + 1);
        if (before.isEmpty()) {
            return new ByteRange(NONE, NONE, position(after, value), value);
        }
        return new ByteRange(position(before, value), after.isEmpty() ? NONE : position(after, value), NONE, value);
    }

    private static long position(String digits, String value) throws BadRequest {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(value);
        }
        long position = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (position > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            position = position * 10 + digit;
        }
        return position;
    }

    private static BadRequest malformed(String value) {
        return new BadRequest(400, "malformed Range header", LogEscaper.quote(value));
    }
}
