package io.tailsrv.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;

/**
 * What a request-target asks for: where to start and whether to follow.
 * Only {@code /} is served, in origin-form ({@code /?offset=-100}) or
 * absolute-form ({@code http://host:4321/?offset=-100}, as sent to a
 * proxy). The query's names and values are percent-decoded; {@code +} is
 * a plus sign, not a space (this is no HTML form), so {@code ?offset=+5}
 * reads as the offset header {@code +5} would. Parameters other than
 * {@code offset} and {@code follow} are ignored (a cache-buster such as
 * {@code &_=1700000000} does no harm); either given twice is an error.
 *
 * @param offset where to start, by the offset header's rules: a byte offset if 0 or more, else that many
 *        bytes before the end
 * @param offsetGiven whether {@code offset} was in the query
 * @param follow false for {@code follow=0}: up to what exists now, then the end of the response
 */
record RequestTarget(long offset, boolean offsetGiven, boolean follow) {

    static RequestTarget parse(String target, String quotedLine) throws BadRequest {
        String rest = target;
        if (!target.startsWith("/")) {
            int scheme = schemeLength(target);
            if (scheme < 0) {
                throw new BadRequest(400, "malformed request target", quotedLine);
            }
            int end = scheme;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            String authority = target.substring(scheme, end);
            // RFC 9110 4.2.1: an http URI with an empty host is invalid, and one with userinfo an error
            if (authority.isEmpty() || !isAuthority(authority)) {
                throw new BadRequest(400, "malformed request target", quotedLine);
            }
            rest = target.substring(end);
        }
        if (rest.indexOf('#') >= 0) {
            throw new BadRequest(400, "malformed request target", quotedLine);
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        if (!path.equals("/") && !path.isEmpty()) {
            throw new BadRequest(404, "only / is served", quotedLine);
        }
        return question < 0 ? new RequestTarget(0, false, true) : query(rest.substring(question + 1), quotedLine);
    }

    /**
     * Whether {@code text} is {@code host[:port]} as RFC 3986 spells it (a
     * name, an IPv4 address or a bracketed IPv6 one), checked by its
     * characters only: the Host header's value and an absolute target's
     * authority are never looked up, only refused when they could not be one.
     */
    static boolean isAuthority(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static int schemeLength(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    private static RequestTarget query(String query, String quotedLine) throws BadRequest {
        long offset = 0;
        boolean offsetGiven = false;
        Boolean follow = null;
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = decode(equals < 0 ? parameter : parameter.substring(0, equals), quotedLine);
            String value = equals < 0 ? "" : decode(parameter.substring(equals + 1), quotedLine);
            if (name.equals("offset")) {
                if (offsetGiven) {
                    throw new BadRequest(400, "offset given twice", quotedLine);
                }
                offset = offset(value, quotedLine);
                offsetGiven = true;
            } else if (name.equals("follow")) {
                if (follow != null) {
                    throw new BadRequest(400, "follow given twice", quotedLine);
                }
                if (!value.equals("0") && !value.equals("1")) {
                    throw new BadRequest(400, "follow is 0 or 1", quotedLine);
                }
                follow = value.equals("1");
            }
        }
        return new RequestTarget(offset, offsetGiven, follow == null || follow);
    }

    /** The offset header's number, {@code [+-]?[0-9]+} within a signed 64-bit integer, without its blanks. */
    private static long offset(String value, String quotedLine) throws BadRequest {
        if (!value.matches("[+-]?[0-9]+")) {
            throw new BadRequest(400, "offset is not a number", quotedLine);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "offset out of range", quotedLine);
        }
    }

    /** RFC 3986 percent-decoding, to one character per byte; a {@code %} not followed by two hex digits is an error. */
    private static String decode(String text, String quotedLine) throws BadRequest {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new BadRequest(400, "malformed percent-encoding", quotedLine);
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        return bytes.toString(ISO_8859_1);
    }
}
