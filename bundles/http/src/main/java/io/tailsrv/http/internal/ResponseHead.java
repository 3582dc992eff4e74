package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A response's status line and header fields, written as they are added.
 * Every response is HTTP/1.1 (a server sends its own version, whatever the
 * client's), carries {@code Date} (RFC 9110 6.6.1: an origin server with a
 * clock must) and ends with {@code Connection: close}: there is no
 * keep-alive, and a streamed body ends when the connection does.
 */
final class ResponseHead {

    /** RFC 9110's IMF-fixdate; RFC_1123_DATE_TIME would drop the day's leading zero. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final StringBuilder text = new StringBuilder(320);

    ResponseHead(int status, Instant now) {
        text.append("HTTP/1.1 ").append(status).append(' ').append(phrase(status)).append("\r\n");
        header("Date", IMF_FIXDATE.format(now));
    }

    ResponseHead header(String name, String value) {
        text.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    ResponseHead header(String name, long value) {
        text.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** The head, {@code Connection: close} and the blank line included, ready to send. */
    ByteBuffer end() {
        header("Connection", "close");
        text.append("\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(US_ASCII));
    }

    /** The reason phrase of every status this bundle answers with. */
    static String phrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException("no phrase for status " + status);
        };
    }
}
