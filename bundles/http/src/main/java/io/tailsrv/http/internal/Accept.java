package io.tailsrv.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@code Accept} header's media ranges and their weights (RFC 9110
 * 12.5.1), in thousandths. An element that does not parse is skipped, as
 * most servers do, rather than failing the request: it can only ever
 * affect which of the file, the events and the page is sent.
 */
final class Accept {

    /** One media range: {@code type/subtype}, {@code type/*} or {@code *}{@code /*}, lower case. */
    private record MediaRange(String type, String subtype, int quality) {
    }

    private final List<MediaRange> ranges;

    private Accept(List<MediaRange> ranges) {
        this.ranges = ranges;
    }

    static Accept parse(String value) {
        List<MediaRange> ranges = new ArrayList<>();
        for (String element : value.split(",")) {
            String[] parts = element.split(";");
            String mediaRange = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = mediaRange.indexOf('/');
            if (slash <= 0 || slash == mediaRange.length() - 1) {
                continue;
            }
            String type = mediaRange.substring(0, slash);
            String subtype = mediaRange.substring(slash + 1);
            if (!isToken(type) || !isToken(subtype) || (type.equals("*") && !subtype.equals("*"))) {
                continue;
            }
            int quality = quality(parts);
            if (quality >= 0) {
                ranges.add(new MediaRange(type, subtype, quality));
            }
        }
        return new Accept(ranges);
    }

    /**
     * How much the client wants {@code type/subtype} (lower case): the weight
     * of the most specific range that matches it, 0 if none does.
     */
    int quality(String type, String subtype) {
        int best = -1;
        int specificity = -1;
        for (MediaRange range : ranges) {
            int s;
            if (range.type.equals(type) && range.subtype.equals(subtype)) {
                s = 2;
            } else if (range.type.equals(type) && range.subtype.equals("*")) {
                s = 1;
            } else if (range.type.equals("*")) {
                s = 0;
            } else {
                continue;
            }
            if (s > specificity) {
                specificity = s;
                best = range.quality;
            }
        }
        return Math.max(best, 0);
    }

    /** The weight of a range naming {@code type/subtype} itself, ignoring wildcards; 0 if none does. */
    int named(String type, String subtype) {
        for (MediaRange range : ranges) {
            if (range.type.equals(type) && range.subtype.equals(subtype)) {
                return range.quality;
            }
        }
        return 0;
    }

    /**
     * The {@code q} parameter among a range's parameters, in thousandths:
     * 1000 without one, -1 if it is malformed
     * ({@code "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]}).
     */
    private static int quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.length() < 2 || (parameter.charAt(0) | 0x20) != 'q' || parameter.charAt(1) != '=') {
                continue;
            }
            String weight = parameter.substring(2);
            if (!weight.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
                return -1;
            }
            String thousandths = weight.length() > 2 ? (weight.substring(2) + "00").substring(0, 3) : "000";
            return (weight.charAt(0) - '0') * 1000 + Integer.parseInt(thousandths);
        }
        return 1000;
    }

    private static boolean isToken(String text) {
        return text.chars().allMatch(RequestHeadReader::isTokenByte);
    }
}
