package io.tailsrv.server.internal.streaming;

import java.util.HashMap;
import java.util.Map;

/**
 * What one loop's connections of one instance did: counts kept by that
 * loop's thread (or under its lock) without any synchronisation, and summed
 * over the loops when monitoring asks ({@link FanOut#counters}). Counting is
 * a field increment on the paths that refuse or close, and nothing at all
 * on the path that sends.
 */
final class Counters {

    long accepted;
    final Map<String, long[]> refused = new HashMap<>();
    final Map<String, long[]> closed = new HashMap<>();

    void refused(String reason) {
        refused.computeIfAbsent(reason, key -> new long[1])[0]++;
    }

    void closed(String reason) {
        closed.computeIfAbsent(reason, key -> new long[1])[0]++;
    }

    /** Adds {@code counts} into {@code into}. */
    static void addInto(Map<String, Long> into, Map<String, long[]> counts) {
        counts.forEach((reason, n) -> into.merge(reason, n[0], Long::sum));
    }
}
