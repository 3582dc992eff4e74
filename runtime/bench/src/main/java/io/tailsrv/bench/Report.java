package io.tailsrv.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * One line per measurement: its name, then {@code key=value} figures, two
 * spaces apart. Decimal units (1 GB/s is 10^9 bytes a second), as network
 * figures are; MiB for memory.
 */
final class Report {

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
        return line + result.server()
                .map(server -> format("  server: cpu=%.2fs  rss=%.1fMiB  threads=%d", server.cpuMillis() / 1000.0,
                        server.rssBytes() / (double) (1 << 20), server.threads()))
                .orElse("");
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
