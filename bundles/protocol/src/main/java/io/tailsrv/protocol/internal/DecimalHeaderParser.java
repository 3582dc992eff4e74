package io.tailsrv.protocol.internal;

import java.nio.ByteBuffer;

import io.tailsrv.api.HeaderParser;
import io.tailsrv.api.LogText;
import io.tailsrv.api.OffsetProtocol;

/**
 * Parses {@code [ \t]*[+-]?[0-9]+[ \t\r]*\n} one byte at a time, so that a
 * header split anywhere parses the same, and rejects at the first byte that no
 * continuation could make valid: a client sending garbage is turned away
 * without waiting for a newline that may never come.
 */
final class DecimalHeaderParser implements HeaderParser {

    private static final String NOT_A_NUMBER = "not a number";
    private static final String TOO_LONG = "header longer than " + OffsetProtocol.MAX_HEADER_BYTES + " bytes";
    private static final String OUT_OF_RANGE = "offset out of range";

    /** Where in the grammar the next byte falls. */
    private enum Place { LEADING_BLANKS, AFTER_SIGN, DIGITS, TRAILING_BLANKS }

    /**
     * Every byte consumed, to quote in the rejection. Parsing stops at the
     * newline or at the longest header plus one, so this never overflows.
     */
    private final byte[] received = new byte[OffsetProtocol.MAX_HEADER_BYTES + 1];
    private int receivedCount;
    private Place place = Place.LEADING_BLANKS;
    private boolean negative;
    /**
     * The digits so far, negated, as Long.parseLong keeps them: the negative
     * range is one larger, so Long.MIN_VALUE fits.
     */
    private long negatedValue;
    private Status status = Status.INCOMPLETE;
    private String rejection;

    @Override
    public Status feed(ByteBuffer in) {
        while (status == Status.INCOMPLETE && in.hasRemaining()) {
            take(in.get());
        }
        return status;
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public long requestedOffset() {
        return negative ? negatedValue : -negatedValue;
    }

    @Override
    public String rejection() {
        return rejection;
    }

    private void take(byte b) {
        received[receivedCount++] = b;
        if (b != '\n' && receivedCount > OffsetProtocol.MAX_HEADER_BYTES) {
            reject(TOO_LONG);
            return;
        }
        switch (place) {
            case LEADING_BLANKS -> {
                if (b == '+' || b == '-') {
                    negative = b == '-';
                    place = Place.AFTER_SIGN;
                } else if (b != ' ' && b != '\t') {
                    takeDigit(b);
                }
            }
            case AFTER_SIGN -> takeDigit(b);
            case DIGITS -> {
                if (b == '\n') {
                    status = Status.COMPLETE;
                } else if (isTrailingBlank(b)) {
                    place = Place.TRAILING_BLANKS;
                } else {
                    takeDigit(b);
                }
            }
            case TRAILING_BLANKS -> {
                if (b == '\n') {
                    status = Status.COMPLETE;
                } else if (!isTrailingBlank(b)) {
                    reject(NOT_A_NUMBER);
                }
            }
        }
    }

    private void takeDigit(byte b) {
        if (b < '0' || b > '9') {
            reject(NOT_A_NUMBER);
            return;
        }
        int digit = b - '0';
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        // Both checks keep the arithmetic itself from overflowing.
        if (negatedValue < limit / 10 || negatedValue * 10 < limit + digit) {
            reject(OUT_OF_RANGE);
            return;
        }
        negatedValue = negatedValue * 10 - digit;
        place = Place.DIGITS;
    }

    private static boolean isTrailingBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private void reject(String reason) {
        status = Status.REJECTED;
        rejection = reason + ": \"" + LogText.escape(received, 0, receivedCount) + '"';
    }
}
