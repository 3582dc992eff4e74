package io.tailsrv.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tailsrv.api.RelayConfig.Upstream;

/** The order of upstreams and the waits between tries, with the production timings. */
class FailoverTest {

    private static final List<Upstream> THREE = List.of(new Upstream("a", 1), new Upstream("b", 2), new Upstream("c", 3));

    @Test
    void eachFailureMovesToTheNextUpstreamRoundAndRound() {
        Failover failover = new Failover(THREE, RelayTimings.DEFAULT, new SplittableRandom(1));
        List<String> tried = new ArrayList<>(List.of(failover.current().host()));
        for (int i = 0; i < 4; i++) {
            failover.failed(0);
            tried.add(failover.current().host());
        }
        assertEquals(List.of("a", "b", "c", "a", "b"), tried);
    }

    @Test
    void theWaitDoublesFrom100MillisecondsTo30SecondsEachDrawnBetweenHalfAndAll() {
        for (long seed = 0; seed < 100; seed++) {
            Failover failover = new Failover(THREE, RelayTimings.DEFAULT, new SplittableRandom(seed));
            long ceiling = Duration.ofMillis(100).toNanos();
            for (int i = 0; i < 20; i++) {
                long wait = failover.failed(0);
                assertTrue(wait >= ceiling / 2 && wait <= ceiling, i + ": " + wait + " against " + ceiling);
                ceiling = Math.min(ceiling * 2, Duration.ofSeconds(30).toNanos());
            }
        }
    }

    @Test
    void theWaitsAreSpreadSoThatRelaysDoNotComeBackInStep() {
        SplittableRandom seeds = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int relay = 0; relay < 100; relay++) {
            long wait = new Failover(THREE, RelayTimings.DEFAULT, seeds.split()).failed(0);
            min = Math.min(min, wait);
            max = Math.max(max, wait);
        }
        assertTrue(max - min > Duration.ofMillis(30).toNanos(), min + " to " + max);
    }

    @Test
    void followingTenSecondsMakesTheNextFailureAFirstOneAgain() {
        Failover failover = new Failover(THREE, RelayTimings.DEFAULT, new SplittableRandom(3));
        for (int i = 0; i < 10; i++) {
            failover.failed(0);
        }
        assertTrue(failover.failed(Duration.ofSeconds(9).toNanos()) >= Duration.ofSeconds(15).toNanos());

        long wait = failover.failed(Duration.ofSeconds(10).toNanos());

        assertTrue(wait <= Duration.ofMillis(100).toNanos(), wait + " ns");
    }
}
