package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The report's lines, which scripts (and BenchToolIT) read. */
class ReportTest {

    @Test
    void catchUpOfOneClient() {
        CatchUp.Result result = new CatchUp.Result(new long[] {1_000_000_000}, new long[] {400_000_000}, 400_000_000);
        assertEquals("catchup  clients=1  bytes=1000000000  seconds=0.400  2.50 GB/s", Report.catchUp("catchup", result));
    }

    @Test
    void fanOutAddsTheMedianAndSlowestClient() {
        CatchUp.Result result = new CatchUp.Result(new long[] {100_000_000, 100_000_000, 100_000_000},
                new long[] {1_000_000_000, 500_000_000, 250_000_000}, 1_000_000_000);
        assertEquals("fanout   clients=3  bytes=100000000  seconds=1.000  0.30 GB/s"
                + "  per client: median 200.0 MB/s, slowest 100.0 MB/s", Report.catchUp("fanout", result));
    }

    @Test
    void unequalCatchUpsShowTheRange() {
        CatchUp.Result result = new CatchUp.Result(new long[] {10, 30}, new long[] {1_000, 1_000}, 1_000);
        assertEquals("bytes=10..30", Report.catchUp("fanout", result).split("  ")[2]);
    }

    @Test
    void latencyInMicroseconds() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000L;
        }
        nanos[999] = 123_456_789;
        assertEquals("latency  clients=2  records=500  samples=1000  p50=500us  p90=900us  p99=990us  p99.9=999us"
                + "  max=123457us", Report.latency(new Latency.Result(2, 500, new Percentiles(nanos))));
    }

    @Test
    void idleWithAndWithoutTheServersFigures() {
        assertEquals("idle     clients=1000  seconds=10  connected=998/1000",
                Report.idle(new Idle.Result(1000, 10, 998, Optional.empty())));
        assertEquals("idle     clients=50  seconds=2  connected=50/50  server: cpu=0.02s  rss=94.5MiB  threads=28",
                Report.idle(new Idle.Result(50, 2, 50, Optional.of(new ProcStat(20, 99_090_432, 28)))));
    }
}
