package io.tailsrv.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One line per measurement: its name, then {@code key=value} figures, two
 * spaces apart. Decimal units (1 GB/s is 10^9 bytes a second), as network
 * figures are; MiB for memory.
 */
final class Report {

    /** Below this share of the rate asked for, the writer is said to have fallen behind. */
    private static final double WRITER_BEHIND = 0.95;
    /** Above this share of the window on a CPU, the reading thread is said to be near its limit. */
    private static final double READER_BUSY = 0.8;

    private Report() {
    }

    static String catchUp(String name, CatchUp.Result result) {
        long fewest = Arrays.stream(result.received()).min().orElseThrow();
        long most = Arrays.stream(result.received()).max().orElseThrow();
        String line = format("%-8s clients=%d  bytes=%s  seconds=%.3f  %.2f GB/s", name, result.clients(),
                fewest == most ? Long.toString(most) : fewest + ".." + most, result.seconds(),
                result.gigabytesPerSecond());
        if (result.clients() == 1) {
            return line;
        }
        double[] rates = result.clientMegabytesPerSecond();
        return line + format("  per client: median %.1f MB/s, slowest %.1f MB/s", rates[(rates.length - 1) / 2], rates[0]);
    }

    static String latency(Latency.Result result) {
        Percentiles nanos = result.nanos();
        return format("%-8s clients=%d  records=%d  samples=%d  p50=%dus  p90=%dus  p99=%dus  p99.9=%dus  max=%dus",
                "latency", result.clients(), result.records(), nanos.count(), micros(nanos.atPerMille(500)),
                micros(nanos.atPerMille(900)), micros(nanos.atPerMille(990)), micros(nanos.atPerMille(999)),
                micros(nanos.max()));
    }

    static String idle(Idle.Result result) {
        String line = format("%-8s clients=%d  seconds=%d  connected=%d/%d", "idle", result.clients(),
                result.seconds(), result.connected(), result.clients());
        return line + result.server().map(Report::server).orElse("");
    }

    private static String server(ProcStat server) {
        return format("  server: cpu=%.2fs  rss=%.1fMiB  threads=%d", server.cpuMillis() / 1000.0,
                server.rssBytes() / (double) (1 << 20), server.threads());
    }

    static String busy(Busy.Result result) {
        Percentiles nanos = result.nanos();
        String line = format("%-8s files=%d  clients=%d  records=%d  deliveries=%d  p50=%dus  p90=%dus  p99=%dus"
                + "  p99.9=%dus  max=%dus  out-of-order=%d  missing=%d  write-rate=%.1f/s  window=%.2fs", "busy",
                result.files(), result.clientsPerFile(), result.records(), result.deliveries(),
                micros(nanos.atPerMille(500)), micros(nanos.atPerMille(900)), micros(nanos.atPerMille(990)),
                micros(nanos.atPerMille(999)), micros(nanos.max()), result.outOfOrder(), result.missing(),
                result.writeRate(), result.windowNanos() / 1e9);
        if (result.readerCpuNanos().isPresent()) {
            line += format("  reader: cpu=%.2fs", result.readerCpuNanos().getAsLong() / 1e9);
        }
        return line + result.server().map(Report::server).orElse("");
    }

    /**
     * Lines that say when the figures describe the bench more than the
     * server: the writer fell behind its schedule, or the one reading thread
     * was busy most of the window (it could not have read faster).
     */
    static List<String> busyWarnings(Busy.Result result) {
        List<String> warnings = new ArrayList<>();
        if (result.writeRate() < result.rate() * WRITER_BEHIND) {
            warnings.add(format("%-8s note: the writer appended %.1f of the %d records a second asked for to each file:"
                    + " this machine could not keep up with the load, the bench included", "busy", result.writeRate(),
                    result.rate()));
        }
        double readerShare = result.readerCpuNanos().orElse(0) / (double) result.windowNanos();
        if (readerShare > READER_BUSY) {
            warnings.add(format("%-8s note: the one reading thread was on a CPU for %.0f%% of the window: the bench"
                    + " may have delayed deliveries itself; ask for fewer --clients or a lower --rate", "busy",
                    readerShare * 100));
        }
        return warnings;
    }

    static String skipped(String name, String why) {
        return format("%-8s skipped: %s", name, why);
    }

    private static long micros(long nanos) {
        return Math.round(nanos / 1000.0);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
