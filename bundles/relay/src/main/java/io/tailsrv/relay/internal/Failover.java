package io.tailsrv.relay.internal;

import java.util.List;
import java.util.random.RandomGenerator;

import io.tailsrv.api.RelayConfig.Upstream;

/**
 * Which upstream to try, and after how long. Every failure moves to the
 * next upstream in the configured order (round and round) and waits: the
 * wait doubles from {@link RelayTimings#firstBackoff} to
 * {@link RelayTimings#maxBackoff}, each one drawn at random between
 * half of it and all of it, so that the relays of a tier that lost their
 * upstream together do not come back in step. A connection that followed
 * for {@link RelayTimings#steady} or longer before it failed starts
 * the doubling over. Loop thread only.
 */
final class Failover {

    private final List<Upstream> upstreams;
    private final RelayTimings timings;
    private final RandomGenerator random;
    private int current;
    private long backoffNanos;

    Failover(List<Upstream> upstreams, RelayTimings timings, RandomGenerator random) {
        this.upstreams = List.copyOf(upstreams);
        this.timings = timings;
        this.random = random;
        this.backoffNanos = timings.firstBackoff().toNanos();
    }

    /** The upstream to try now. */
    Upstream current() {
        return upstreams.get(current);
    }

    /**
     * The current upstream failed, after following for {@code followedNanos}
     * (0 if it never got as far): moves on to the next one.
     *
     * @return how long to wait before trying it
     */
    long failed(long followedNanos) {
        if (followedNanos >= timings.steady().toNanos()) {
            backoffNanos = timings.firstBackoff().toNanos();
        }
        current = (current + 1) % upstreams.size();
        long wait = backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, timings.maxBackoff().toNanos());
        return wait / 2 + random.nextLong(wait / 2 + 1);
    }
}
