package io.tailsrv.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.tailsrv.api.InstanceCounters;

/**
 * An instance's refusals and closes by reason, with every reason the API
 * names present from the start, at 0: a count that appears only at its
 * first event has no rate before it, and an alert on it cannot fire on the
 * first one. Reasons named at run time (a TLS alert, an HTTP status) follow
 * as they happen.
 */
final class ByReason {

    static final List<String> REFUSED = List.of(InstanceCounters.ALLOW, InstanceCounters.MAX_CLIENTS,
            InstanceCounters.MAX_PENDING, InstanceCounters.BAD_REQUEST, InstanceCounters.HEADER_TIMEOUT,
            InstanceCounters.PLAIN_ON_TLS, InstanceCounters.TLS_IDENTITY);
    static final List<String> CLOSED = List.of(InstanceCounters.GONE, InstanceCounters.RESET,
            InstanceCounters.TRUNCATED_PAST, InstanceCounters.FILE_GONE, InstanceCounters.STOPPED,
            InstanceCounters.SEND_FAILED, InstanceCounters.COMPLETE);

    private ByReason() {
    }

    static SortedMap<String, Long> refused(InstanceCounters counters) {
        return withAll(REFUSED, counters.refused());
    }

    static SortedMap<String, Long> closed(InstanceCounters counters) {
        return withAll(CLOSED, counters.closed());
    }

    private static SortedMap<String, Long> withAll(List<String> known, Map<String, Long> counted) {
        SortedMap<String, Long> all = new TreeMap<>(counted);
        known.forEach(reason -> all.putIfAbsent(reason, 0L));
        return all;
    }
}
