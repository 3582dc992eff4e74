package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
    void busyWithAndWithoutTheServersFigures() {
        Busy.Result result = busy(20, 19.98, OptionalLong.of(310_000_000), Optional.empty());
        assertEquals("busy     files=100  clients=5  records=10000  deliveries=1000  p50=500us  p90=900us  p99=990us"
                + "  p99.9=999us  max=1000us  out-of-order=0  missing=0  write-rate=20.0/s  window=5.02s"
                + "  reader: cpu=0.31s", Report.busy(result));
        assertEquals(List.of(), Report.busyWarnings(result));
        assertEquals("busy     files=100  clients=5  records=10000  deliveries=1000  p50=500us  p90=900us  p99=990us"
                + "  p99.9=999us  max=1000us  out-of-order=0  missing=0  write-rate=20.0/s  window=5.02s"
                + "  server: cpu=1.99s  rss=117.9MiB  threads=30",
                Report.busy(busy(20, 20, OptionalLong.empty(), Optional.of(new ProcStat(1990, 123_627_110, 30)))));
    }

    @Test
    void busySaysWhenTheBenchCouldNotKeepUp() {
        Busy.Result result = busy(20, 17.84, OptionalLong.of(4_500_000_000L), Optional.empty());
        assertEquals(List.of(
                "busy     note: the writer appended 17.8 of the 20 records a second asked for to each file:"
                        + " this machine could not keep up with the load, the bench included",
                "busy     note: the one reading thread was on a CPU for 90% of the window: the bench may have"
                        + " delayed deliveries itself; ask for fewer --clients or a lower --rate"),
                Report.busyWarnings(result));
    }

    private static Busy.Result busy(int rate, double achieved, OptionalLong readerCpu, Optional<ProcStat> server) {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000L;
        }
        return new Busy.Result(100, 5, rate, 10_000, new Percentiles(nanos), 0, 0, achieved, 5_020_000_000L,
                readerCpu, server);
    }

    @Test
    void idleWithAndWithoutTheServersFigures() {
        assertEquals("idle     clients=1000  seconds=10  connected=998/1000",
                Report.idle(new Idle.Result(1000, 10, 998, Optional.empty())));
        assertEquals("idle     clients=50  seconds=2  connected=50/50  server: cpu=0.02s  rss=94.5MiB  threads=28",
                Report.idle(new Idle.Result(50, 2, 50, Optional.of(new ProcStat(20, 99_090_432, 28)))));
    }
}
