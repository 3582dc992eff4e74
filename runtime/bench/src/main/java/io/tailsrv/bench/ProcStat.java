package io.tailsrv.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says a process (the server, on this machine) has used so far. */
record ProcStat(long cpuMillis, long rssBytes, int threads) {

    private static final long DEFAULT_CLOCK_TICKS = 100; // USER_HZ on every architecture Java 17 runs Linux on

    static boolean exists(long pid) {
        return Files.isReadable(stat(pid));
    }

    static ProcStat of(long pid) throws IOException {
        String stat = Files.readString(stat(pid));
        // after the command name, which may hold spaces and parentheses, field 3 onwards
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(field(fields, 14)) + Long.parseLong(field(fields, 15)); // utime + stime
        int threads = Integer.parseInt(field(fields, 20));
        return new ProcStat(ticks * 1000 / ClockTicks.PER_SECOND, residentKiB(pid) * 1024, threads);
    }

    private static Path stat(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    /** Field {@code number} of /proc/PID/stat, counted from 1 as proc(5) does. */
    private static String field(String[] fromThird, int number) {
        return fromThird[number - 3];
    }

    /** From /proc/PID/status rather than stat's rss field, which counts pages, and Java has no API for their size. */
    private static long residentKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** The unit of utime and stime, asked of getconf once. */
    private static final class ClockTicks {

        static final long PER_SECOND = ask();

        private static long ask() {
            try {
                Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                return getconf.waitFor() == 0 ? Long.parseLong(out) : DEFAULT_CLOCK_TICKS;
            } catch (IOException | NumberFormatException e) {
                return DEFAULT_CLOCK_TICKS;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DEFAULT_CLOCK_TICKS;
            }
        }
    }
}
