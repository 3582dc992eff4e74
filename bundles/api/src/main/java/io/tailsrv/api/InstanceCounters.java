package io.tailsrv.api;

import java.util.Map;

/**
 * What an instance has done since it started, as monitoring reads it: the
 * connections it took and turned away, the clients it closed, the bytes it
 * sent, and how far behind its slowest client is. Counts only grow (until
 * the instance restarts); the client figures are of the moment.
 *
 * @param accepted connections accepted (before any check)
 * @param refused connections refused, by reason: {@link #ALLOW}, {@link #MAX_CLIENTS},
 *        {@link #MAX_PENDING}, {@link #BAD_REQUEST}, {@link #HEADER_TIMEOUT}, {@code tls: WHY} (a
 *        failed TLS handshake, by {@link ServerTls#describe}'s reason), {@link #TLS_IDENTITY},
 *        {@link #PLAIN_ON_TLS}, {@code http: STATUS} (an HTTP error answered)
 * @param closed clients closed, by reason: {@link #GONE}, {@link #RESET}, {@link #TRUNCATED_PAST},
 *        {@link #FILE_GONE}, {@link #STOPPED}, {@link #SEND_FAILED}, {@link #COMPLETE}
 * @param bytesSent file bytes sent to every client
 * @param streaming clients past their handshake now
 * @param pending connections in their handshake now
 * @param slowestLagBytes the largest lag of a streaming client, in bytes
 * @param slowestLagSeconds the largest lag of a streaming client, in seconds
 */
public record InstanceCounters(long accepted, Map<String, Long> refused, Map<String, Long> closed, long bytesSent,
        int streaming, int pending, long slowestLagBytes, double slowestLagSeconds) {

    /** Refused: the peer is not in {@code allow}. */
    public static final String ALLOW = "allow";
    /** Refused: {@code max.clients} streaming clients already. */
    public static final String MAX_CLIENTS = "max.clients";
    /** Closed to make room: it waited longest in its handshake, and {@code max.pending} was reached. */
    public static final String MAX_PENDING = "max.pending";
    /** Refused: a malformed offset header. */
    public static final String BAD_REQUEST = "bad header";
    /** Refused: no complete request within {@code header.timeout}. */
    public static final String HEADER_TIMEOUT = "header timeout";
    /** Refused: plain text on a port where TLS is required. */
    public static final String PLAIN_ON_TLS = "plain text on a TLS-only port";
    /** Refused: a TLS client whose certificate's identity is not in {@code tls.client.allow}. */
    public static final String TLS_IDENTITY = "tls: identity not allowed";

    /** Closed: the client closed, or half-closed and then went. */
    public static final String GONE = "gone";
    /** Closed: the client reset the connection. */
    public static final String RESET = "reset";
    /** Closed: the file was truncated to before the client's offset. */
    public static final String TRUNCATED_PAST = "truncated past";
    /** Closed: the file was deleted or moved. */
    public static final String FILE_GONE = "file gone";
    /** Closed: the instance stopped (or its configuration changed). */
    public static final String STOPPED = "instance stopped";
    /** Closed: a send failed (a read error of the file, say). */
    public static final String SEND_FAILED = "send failed";
    /** Closed: a finite HTTP response was sent whole. */
    public static final String COMPLETE = "response complete";

    public InstanceCounters {
        refused = Map.copyOf(refused);
        closed = Map.copyOf(closed);
    }
}
