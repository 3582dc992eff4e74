package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped bin/tailsrv-bench, run as a user runs it: against a real
 * bin/tailsrv serving a real file.
 */
class BenchToolIT {

    private static final long FILE_BYTES = 64L << 20;
    private static final int BUSY_FILES = 10;
    /** p50 to max, each a group. */
    private static final String PERCENTILES = "  p50=(\\d+)us  p90=(\\d+)us  p99=(\\d+)us  p99.9=(\\d+)us  max=(\\d+)us";

    @TempDir
    Path dir;

    @Test
    void catchUpReadsTheWholeFileAndSaysHowFast() throws Exception {
        Path file = dir.resolve("big");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < FILE_BYTES; written += block.length) {
                out.write(block);
            }
        }
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            Run catchUp = bench("catchup", "127.0.0.1:" + port);
            Matcher line = catchUp.line("catchup  clients=1  bytes=(\\d+)  seconds=([0-9.]+)  ([0-9.]+) GB/s");
            assertEquals(FILE_BYTES, Long.parseLong(line.group(1)), catchUp.stdout);
            assertTrue(Double.parseDouble(line.group(2)) > 0, catchUp.stdout);
            assertTrue(Double.parseDouble(line.group(3)) > 0, catchUp.stdout);
            server.awaitLog("requested 0, starting at 0 of " + FILE_BYTES + " bytes", WAIT);

            Run fanOut = bench("fanout", "" + port, "--clients", "3", "--bytes", "8M");
            fanOut.line("fanout   clients=3  bytes=8388608  seconds=[0-9.]+  [0-9.]+ GB/s"
                    + "  per client: median [0-9.]+ MB/s, slowest [0-9.]+ MB/s");
            for (int i = 0; i < 3; i++) {
                server.awaitLog("requested 0, starting at 0 of " + FILE_BYTES + " bytes", WAIT);
            }
        }
    }

    @Test
    void latencyAppendsRecordsAndMeasuresEachAtEachClient() throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, "not a record: the clients start after it\n");
        long before = Files.size(file);
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            Run latency = bench("latency", "" + port, "--file", file.toString(), "--clients", "2", "--records", "200");
            Matcher line = latency.line("latency  clients=2  records=200  samples=(\\d+)  p50=(\\d+)us  p90=(\\d+)us"
                    + "  p99=(\\d+)us  p99.9=(\\d+)us  max=(\\d+)us");
            assertEquals(400, Integer.parseInt(line.group(1)), latency.stdout);
            assertAscending(line, 2, latency.stdout);
            String appended = Files.readString(file, StandardCharsets.US_ASCII).substring((int) before);
            assertTrue(appended.matches("([0-9]{30}\n){200}"), "200 records of 31 bytes: " + appended.length());
        }
    }

    @Test
    void idleHoldsClientsAndReportsTheServersCost() throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, "hello\n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            long cpuMillisSoFar = ProcFs.cpuMillis(server.pid());
            Run idle = bench("idle", "" + port, "--clients", "50", "--seconds", "2", "--pid", "" + server.pid());
            Matcher line = idle.line(
                    "idle     clients=50  seconds=2  connected=(\\d+)/50  server: cpu=([0-9.]+)s  rss=([0-9.]+)MiB"
                            + "  threads=(\\d+)");
            assertEquals(50, Integer.parseInt(line.group(1)), idle.stdout);
            double cpuSeconds = Double.parseDouble(line.group(2));
            assertTrue(cpuSeconds * 1000 < cpuMillisSoFar, "the hold's CPU time, not the process's: " + idle.stdout);
            double rssMiB = Double.parseDouble(line.group(3));
            assertTrue(rssMiB > 10 && rssMiB < 4096, "a JVM's resident memory: " + idle.stdout);
            int threads = Integer.parseInt(line.group(4));
            int threadsNow = ProcFs.threads(server.pid());
            assertTrue(threads > 1 && Math.abs(threads - threadsNow) <= 4,
                    "about the " + threadsNow + " threads it has now: " + idle.stdout);
            assertEquals(50, server.logged("connected: requested -1, starting at 5 of 6 bytes").size());
        }
    }

    @Test
    void busyMeasuresEveryFileOfAHostModeServer() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        List<Integer> ports = Client.freePorts(BUSY_FILES);
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < BUSY_FILES; i++) {
            logs.add(TestSupport.write(dir, "log-" + i, "x".repeat(4095) + "\n")); // as compare.py's busy files start
            config.serve("log" + i, logs.get(i), ports.get(i));
        }
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config)) {
            long cpuMillisSoFar = ProcFs.cpuMillis(server.pid());
            Run busy = bench("busy", "--config-dir", config.dir.toString(), "--clients", "3", "--rate", "20",
                    "--warmup", "1", "--seconds", "2", "--pid", "" + server.pid());
            Matcher line = busy.line("busy     files=10  clients=3  records=(\\d+)  deliveries=(\\d+)" + PERCENTILES
                    + "  out-of-order=(\\d+)  missing=(\\d+)  write-rate=([0-9.]+)/s  window=([0-9.]+)s"
                    + "  reader: cpu=([0-9.]+)s  server: cpu=([0-9.]+)s  rss=([0-9.]+)MiB  threads=(\\d+)");
            int records = Integer.parseInt(line.group(1));
            assertEquals(BUSY_FILES * 20 * 2, records, "20 a second to each of 10 files for 2 s: " + busy.stdout);
            assertEquals(records * 3, Integer.parseInt(line.group(2)), "each record at each of 3 clients: " + busy.stdout);
            assertAscending(line, 3, busy.stdout);
            assertEquals(0, Integer.parseInt(line.group(8)), "out of order: " + busy.stdout);
            assertEquals(0, Integer.parseInt(line.group(9)), "missing: " + busy.stdout);
            double rate = Double.parseDouble(line.group(10));
            assertTrue(rate > 0 && rate <= 20, "never ahead of its schedule: " + busy.stdout);
            // 400 appends 1/200 s apart span 1.995 s at least, and the last one is delivered after
            assertTrue(Double.parseDouble(line.group(11)) >= 1.99, "the window: " + busy.stdout);
            long runMillis = ProcFs.cpuMillis(server.pid()) - cpuMillisSoFar;
            assertTrue(Double.parseDouble(line.group(13)) * 1000 <= runMillis + 20, // a clock tick each end
                    "the window's CPU time, within the run's " + runMillis + " ms: " + busy.stdout);
        }
        for (Path log : logs) {
            String appended = Files.readString(log, StandardCharsets.US_ASCII).substring(4096);
            assertEquals(expectedRecords(60), appended.replaceAll("[0-9]{20} ", "T "),
                    "20 warm-up and 40 counted records, numbered in order: " + log);
        }
    }

    @Test
    void busyTakesPortFilePairs() throws Exception {
        Path file = TestSupport.write(dir, "log", "hello\n");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            Run busy = bench("busy", port + "=" + file, "--clients", "2", "--warmup", "0", "--seconds", "1");
            busy.line("busy     files=1  clients=2  records=20  deliveries=40" + PERCENTILES
                    + "  out-of-order=0  missing=0  write-rate=[0-9.]+/s  window=[0-9.]+s  reader: cpu=[0-9.]+s");
        }
        assertEquals("hello\n" + expectedRecords(20),
                Files.readString(file, StandardCharsets.US_ASCII).replaceAll("[0-9]{20} ", "T "));
    }

    @Test
    void badUsageExitsTwoSayingWhat() throws Exception {
        Run noFile = bench("latency", "4321");
        assertEquals(2, noFile.status, noFile.stderr);
        assertTrue(noFile.stderr.startsWith("tailsrv-bench latency: missing --file PATH\n"
                + "usage: tailsrv-bench latency HOST:PORT --file PATH"), noFile.stderr);
        assertEquals("", noFile.stdout);

        Run badPort = bench("idle", "localhost:70000");
        assertEquals(2, badPort.status, badPort.stderr);
        assertTrue(badPort.stderr.startsWith("tailsrv-bench idle: not HOST:PORT or a port from 1 to 65535"),
                badPort.stderr);

        Run noFiles = bench("busy", "--config-dir", dir.toString());
        assertEquals(2, noFiles.status, noFiles.stderr);
        assertTrue(noFiles.stderr.startsWith("tailsrv-bench busy: --config-dir " + dir + ": no enabled instance"),
                noFiles.stderr);
    }

    /** Busy's records, the write time of each replaced by T: {@code count}, numbered from 0. */
    private static String expectedRecords(int count) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < count; i++) {
            records.append(String.format("T %010d\n", i));
        }
        return records.toString();
    }

    /** The five latency figures, from group {@code first} on, ascending and at least 1 us (through a socket). */
    private static void assertAscending(Matcher line, int first, String stdout) {
        long previous = 1;
        for (int group = first; group < first + 5; group++) {
            long micros = Long.parseLong(line.group(group));
            assertTrue(micros >= previous, "percentiles out of order or zero: " + stdout);
            previous = micros;
        }
    }

    /**
     * With --tls every client speaks TLS, verifying the server against
     * --tls-ca: the same reports, from a server that takes TLS only; without
     * the CA the JDK's own do not know the test's, and the run says so.
     */
    @Test
    void tlsClientsMeasureATlsServer() throws Exception {
        assumeTrue(Pki.available(), "openssl is not installed: no certificates to test TLS with");
        Pki pki = Pki.make(dir.resolve("pki"));
        Path file = dir.resolve("log");
        Files.write(file, new byte[8 << 20]);
        long before = Files.size(file);
        int port = Client.freePort();
        String ca = pki.file("ca.pem").toString();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, "--tls-cert", pki.file("server.pem").toString(),
                "--tls-key", pki.file("server-key.pem").toString(), file.toString()).awaitListening()) {
            Run catchUp = bench("catchup", "127.0.0.1:" + port, "--tls", "--tls-ca", ca);
            catchUp.line("catchup  clients=1  bytes=" + before + "  seconds=[0-9.]+  [0-9.]+ GB/s");
            Run latency = bench("latency", "" + port, "--file", file.toString(), "--clients", "2", "--records", "100",
                    "--tls", "--tls-ca", ca);
            latency.line("latency  clients=2  records=100  samples=200" + PERCENTILES);
            Run idle = bench("idle", "" + port, "--clients", "20", "--seconds", "1", "--tls", "--tls-ca", ca);
            idle.line("idle     clients=20  seconds=1  connected=20/20");
            assertTrue(server.logged("rejected").isEmpty(), "every client spoke TLS: " + server.logged("rejected"));

            Run untrusted = bench("catchup", "" + port, "--tls");
            assertEquals(1, untrusted.status, untrusted.stderr);
            assertTrue(untrusted.stderr.startsWith("tailsrv-bench catchup: cannot connect to 127.0.0.1:" + port + ": "),
                    untrusted.stderr);
            assertTrue(untrusted.stderr.contains("certification path"), untrusted.stderr);
        }
    }

    @Test
    void noServerExitsOneSayingWhy() throws Exception {
        Run refused = bench("catchup", "" + Client.freePort());
        assertEquals(1, refused.status, refused.stderr);
        assertTrue(refused.stderr.startsWith("tailsrv-bench catchup: cannot connect to 127.0.0.1:"), refused.stderr);
        assertTrue(refused.stderr.contains("Connection refused"), refused.stderr);
    }

    /** What a run of bin/tailsrv-bench printed, and its exit status. */
    private record Run(int status, String stdout, String stderr) {

        /** The report line matching {@code regex} whole, having checked that the run succeeded. */
        Matcher line(String regex) {
            assertEquals(0, status, "exit status; stderr:\n" + stderr + "stdout:\n" + stdout);
            Matcher line = Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(stdout);
            assertTrue(line.find(), "no line matching /" + regex + "/ in:\n" + stdout);
            return line;
        }
    }

    private Run bench(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TailsrvProcess.HOME.resolve("bin/tailsrv-bench").toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "bench", ".out");
        Path stderr = Files.createTempFile(dir, "bench", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("tailsrv-bench " + String.join(" ", args) + " still running after 60 s");
        }
        Run run = new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        System.out.print(run.stdout); // the figures, for the test's report
        return run;
    }
}
