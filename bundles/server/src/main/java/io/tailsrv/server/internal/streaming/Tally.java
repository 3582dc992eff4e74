package io.tailsrv.server.internal.streaming;

import java.util.HashMap;
import java.util.Map;

/** The counters of every loop, added up one loop at a time (each on its own thread, in turn). */
final class Tally {
    long accepted;
    final Map<String, Long> refused = new HashMap<>();
    final Map<String, Long> closed = new HashMap<>();
    long bytesSent;
    long slowestLagBytes;
    double slowestLagSeconds;
}
