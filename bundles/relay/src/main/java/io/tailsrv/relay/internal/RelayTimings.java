package io.tailsrv.relay.internal;

import java.time.Duration;

/**
 * How long a relay waits for what. The issue left the numbers open; these
 * are the decisions (the README gives them too). Tests make them shorter.
 *
 * @param firstBackoff the wait after a first failure (100 ms)
 * @param maxBackoff where the doubling stops (30 s)
 * @param steady following this long (10 s) makes a connection a success: the next failure
 *        waits {@code firstBackoff} again
 * @param connectTimeout connecting, the TLS handshake and sending the request (10 s)
 * @param checkTimeout the continuity window's bytes must all arrive within this (10 s) once
 *        asked for; an upstream that sends fewer holds less than the file, and the relay
 *        moves on
 * @param probePeriod how often the upstream's size is asked for while following (10 s)
 * @param probeTimeout how long an answer may take (5 s)
 */
record RelayTimings(Duration firstBackoff, Duration maxBackoff, Duration steady, Duration connectTimeout,
        Duration checkTimeout, Duration probePeriod, Duration probeTimeout) {

    static final RelayTimings DEFAULT = new RelayTimings(Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(5));
}
