package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.await;
import static io.tailsrv.runtime.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.InstanceCounters;

/**
 * What monitoring reads of the assembled bin/tailsrv, read the ways
 * monitoring reads it: JMX over a real RMI connector on loopback, GET
 * /metrics (and promtool's verdict on it), and the health checks through
 * the console's {@code hc:exec}. One host-mode process serves two instances:
 * {@code main}, with a client that stopped reading (a small receive buffer)
 * while the file grew and one that keeps up; and {@code faults}, where each
 * way of refusing a connection and of closing a client is provoked once.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class MonitoringIT {

    /** What is appended to main while its stalled client reads nothing: more than loopback's socket buffers hold. */
    private static final int GROWTH = 16 << 20;
    private static final int MIB = 1 << 20;
    private static final String FIRST_LINE = "first line\n";
    private static final double LAG_WARN_SECONDS = 1;
    private static final ObjectName MAIN = name("main");
    private static final ObjectName FAULTS = name("faults");
    private static final Pattern SERIES = Pattern.compile("(?m)^(tailsrv_[a-z_]+\\{[^}]*\\}) (\\S+)$");

    private final HttpClient http = HttpClient.newHttpClient();
    /** Static: JUnit fills instance fields before each test, after {@code @BeforeAll}. */
    @TempDir
    static Path dir;
    private Path mainFile;
    private Path faultsFile;
    private int mainPort;
    private int faultsPort;
    private int jmxPort;
    private int metricsPort;
    private TailsrvProcess server;
    private JMXConnector jmx;
    private MBeanServerConnection mbeans;
    private Client stalled;
    private Client keepingUp;
    /** Console commands typed so far. */
    private int commands;

    @BeforeAll
    void serveAClientThatStoppedReading() throws Exception {
        List<Integer> ports = Client.freePorts(4);
        mainPort = ports.get(0);
        faultsPort = ports.get(1);
        jmxPort = ports.get(2);
        metricsPort = ports.get(3);
        mainFile = write(dir, "main.log", FIRST_LINE);
        faultsFile = write(dir, "faults.log", "0123456789\n");
        ConfigDir config = ConfigDir.under(dir);
        config.serve("main", mainFile, mainPort, "lag.warn.seconds = " + LAG_WARN_SECONDS);
        config.serve("faults", faultsFile, faultsPort, "allow = 127.0.0.1/32", "max.clients = 1", "max.pending = 2",
                "header.timeout = 2");
        server = TailsrvProcess.startHostMode(config, "--console", "--jmx", "127.0.0.1:" + jmxPort,
                "--metrics", "127.0.0.1:" + metricsPort);
        server.awaitLog("jmx on service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi", WAIT);
        jmx = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
        mbeans = jmx.getMBeanServerConnection();

        stalled = Client.request(mainPort, "0", 4096);
        server.awaitLog("\\[main\\] 127.0.0.1:" + stalled.socket.getLocalPort() + " connected", WAIT);
        keepingUp = Client.request(mainPort, "0");
        assertEquals(FIRST_LINE, keepingUp.readString(FIRST_LINE.length()));
        for (int i = 0; i < GROWTH / MIB; i++) {
            append(mainFile, String.valueOf((char) ('a' + i)).repeat(MIB));
        }
        keepingUp.read(GROWTH);
        // The stalled client is behind since the first append: nothing announces when it is 1 s behind.
        await("the stalled client more than " + LAG_WARN_SECONDS + " s behind", WAIT,
                () -> (double) mbeans.getAttribute(MAIN, "SlowestLagSeconds") > LAG_WARN_SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable open : new AutoCloseable[] {jmx, stalled, keepingUp, server}) {
            if (open != null) {
                open.close();
            }
        }
    }

    @Test
    @Order(1)
    void jmxShowsTheStalledClientFallingFurtherBehindAndTheOtherCaughtUp() throws Exception {
        long size = FIRST_LINE.length() + GROWTH;
        assertEquals("SERVING", mbeans.getAttribute(MAIN, "State"));
        assertEquals(mainPort, mbeans.getAttribute(MAIN, "Port"));
        assertEquals(mainFile.toString(), mbeans.getAttribute(MAIN, "File"));
        assertEquals(size, mbeans.getAttribute(MAIN, "FileSize"));
        assertEquals(2, mbeans.getAttribute(MAIN, "Clients"));
        assertEquals(0, mbeans.getAttribute(MAIN, "Pending"));
        assertEquals(2L, mbeans.getAttribute(MAIN, "Accepted"));

        TabularData clients = clients();
        assertEquals(2, clients.size(), clients.toString());
        CompositeData behind = row(clients, stalled);
        long offset = (long) behind.get("offset");
        assertTrue(offset >= FIRST_LINE.length() && offset < size, "the stalled client's offset: " + offset);
        assertEquals(size - offset, behind.get("lagBytes"));
        assertTrue((double) behind.get("lagSeconds") > LAG_WARN_SECONDS, behind.toString());
        assertEquals(size - offset, mbeans.getAttribute(MAIN, "SlowestLagBytes"));
        CompositeData caughtUp = row(clients, keepingUp);
        assertEquals(size, caughtUp.get("offset"));
        assertEquals(0L, caughtUp.get("lagBytes"));
        assertEquals(0.0, caughtUp.get("lagSeconds"));
        assertEquals(size, caughtUp.get("bytesSent"));
        assertEquals("raw", caughtUp.get("protocol"));
        assertEquals(offset + size, mbeans.getAttribute(MAIN, "BytesSent"), "the two clients' bytes");

        // More appended: the stalled client falls further behind, in bytes and in seconds; the other keeps up.
        double seconds = (double) behind.get("lagSeconds");
        append(mainFile, "x".repeat(MIB));
        keepingUp.read(MIB);
        long bytes = size - offset;
        await("the stalled client's lag to grow", WAIT, () -> (long) row(clients(), stalled).get("lagBytes") > bytes
                && (double) row(clients(), stalled).get("lagSeconds") > seconds);
        await("the other client caught up again", WAIT, () -> (long) row(clients(), keepingUp).get("lagBytes") == 0);
        assertEquals(0.0, row(clients(), keepingUp).get("lagSeconds"));
        assertTrue((long) mbeans.getAttribute(MAIN, "SlowestLagBytes") > bytes);
        assertTrue((double) mbeans.getAttribute(MAIN, "SlowestLagSeconds") > seconds);
    }

    @Test
    @Order(2)
    void prometheusShowsTheLagAndPromtoolAcceptsTheScrape() throws Exception {
        HttpResponse<String> scrape = get("/metrics", "GET");
        assertEquals(200, scrape.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.headers().firstValue("Content-Type").orElse(""));
        Map<String, Double> series = series(scrape.body());
        String main = "file=\"" + mainFile + "\",instance=\"main\"";
        assertTrue(value(series, "tailsrv_slowest_client_lag_seconds{" + main + "}") > LAG_WARN_SECONDS, scrape.body());
        double lagBytes = value(series, "tailsrv_slowest_client_lag_bytes{" + main + "}");
        double size = value(series, "tailsrv_file_size_bytes{" + main + "}");
        assertTrue(lagBytes > 0 && lagBytes < size, lagBytes + " of " + size);
        assertEquals(2.0, value(series, "tailsrv_clients{" + main + ",state=\"streaming\"}"));
        assertEquals(0.0, value(series, "tailsrv_clients{" + main + ",state=\"pending\"}"));
        assertEquals(1.0, value(series, "tailsrv_instance_up{" + main + "}"));
        assertEquals(1.0, value(series, "tailsrv_instance_state{" + main + ",state=\"SERVING\"}"));
        assertEquals(0.0, value(series, "tailsrv_instance_state{" + main + ",state=\"FAILED\"}"));
        assertEquals(2 * size - lagBytes, value(series, "tailsrv_bytes_sent_total{" + main + "}"), "both clients' bytes");
        assertTrue(scrape.body().lines().noneMatch(line -> line.contains("peer") || line.contains("127.0.0.1")),
                "no series per client");

        assertEquals(404, get("/", "GET").statusCode());
        assertEquals(404, get("/metrics/more", "GET").statusCode());
        assertEquals(404, get("/metrics", "POST").statusCode());
        assertEquals(404, get("/metrics", "HEAD").statusCode());

        Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed (Debian: apt-get install prometheus)");
        Path text = Files.writeString(dir.resolve("scrape.txt"), scrape.body());
        Program.Result promtool = Program.run("sh", "-c", "promtool check metrics < '" + text + "'");
        assertEquals(0, promtool.status(), promtool.output());
        assertEquals("", promtool.output(), "promtool's lint");
    }

    @Test
    @Order(3)
    void theHealthCheckWarnsNamingTheStalledClientAndTheConsoleSortsByLag() throws Exception {
        String result = console("hc:exec tailsrv");
        assertTrue(result.contains("Overall Health Result: WARN"), result);
        String main = result.lines().filter(line -> line.startsWith("tailsrv main ")).findFirst()
                .orElseThrow(() -> new AssertionError("no check of main in\n" + result));
        assertTrue(main.matches("tailsrv main\\s+WARN\\s+.*"), main);
        String warning = result.substring(result.indexOf(main)).replaceAll("\\s+", " ");
        assertTrue(warning.contains("WARN client 127.0.0.1:" + stalled.socket.getLocalPort() + " is "), result);
        assertTrue(warning.contains("behind the end of the file; lag.warn.seconds = 1"), result);
        assertFalse(result.contains("127.0.0.1:" + keepingUp.socket.getLocalPort()), "the other client is fine: " + result);

        String clients = console("tailsrv:clients --by-lag main");
        List<String> rows = clients.lines().filter(line -> line.startsWith("main ")).toList();
        assertEquals(2, rows.size(), clients);
        assertTrue(rows.get(0).contains(" 127.0.0.1:" + stalled.socket.getLocalPort() + " "), clients);
        assertTrue(rows.get(1).contains(" 127.0.0.1:" + keepingUp.socket.getLocalPort() + " "), clients);
    }

    @Test
    @Order(4)
    void eachRefusalAndEachCloseCountsUnderItsReason() throws Exception {
        String faults = "\\[faults\\] 127\\.0\\.0\\.";
        try (Client outsider = Client.from("127.0.0.2", faultsPort)) {
            server.awaitLog(faults + "2:\\d+ refused: not in allow list", WAIT);
            assertTrue(outsider.closedByServer());
        }
        try (Client first = Client.request(faultsPort, "0")) {
            first.read(11);
            try (Client second = Client.request(faultsPort, "0")) {
                server.awaitLog(faults + "1:" + second.socket.getLocalPort() + " refused: max.clients", WAIT);
            }
            try (Client bad = Client.request(faultsPort, "1x")) {
                server.awaitLog(faults + "1:" + bad.socket.getLocalPort() + " rejected: ", WAIT);
            }
            // max.pending = 2: a third silent connection closes the first; header.timeout closes the other two
            try (Client one = Client.connect(faultsPort); Client two = Client.connect(faultsPort);
                    Client three = Client.connect(faultsPort)) {
                server.awaitLog(faults + "1:" + one.socket.getLocalPort() + " closed: it waited longest", WAIT);
                server.awaitLog(faults + "1:" + two.socket.getLocalPort() + " rejected: no header within", WAIT);
                server.awaitLog(faults + "1:" + three.socket.getLocalPort() + " rejected: no header within", WAIT);
            }
            first.close(); // gracefully: released at the next append
            // ... once its FIN is in: the server's I/O thread reads it as it comes. A client sent to before
            // its FIN is read is not probed for the reset that send draws (Stream.inputEnded): it would
            // wait for a second append, whose send fails.
            int port = first.socket.getLocalPort();
            await("the server's side of 127.0.0.1:" + port + " in CLOSE_WAIT", WAIT,
                    () -> ProcFs.CLOSE_WAIT.equals(ProcFs.tcpState(faultsPort, port)));
            append(faultsFile, "more\n");
            server.awaitLog(faults + "1:" + first.socket.getLocalPort() + " gone after \\d+ bytes: closed by the client",
                    WAIT);
        }
        try (Client resetting = Client.request(faultsPort, "0")) {
            resetting.read(16);
            resetting.socket.setSoLinger(true, 0);
            resetting.close();
            server.awaitLog(faults + "1:" + resetting.socket.getLocalPort() + " gone after \\d+ bytes: connection reset",
                    WAIT);
        }
        try (Client atTheEnd = Client.request(faultsPort, "0")) {
            atTheEnd.read(16);
            Files.writeString(faultsFile, "0"); // truncated to before its offset
            server.awaitLog(faults + "1:" + atTheEnd.socket.getLocalPort() + " gone after \\d+ bytes: the file was"
                    + " truncated", WAIT);
        }
        try (Client whenItGoes = Client.request(faultsPort, "0")) {
            whenItGoes.read(1);
            Files.delete(faultsFile);
            server.awaitLog(faults + "1:" + whenItGoes.socket.getLocalPort() + " gone after \\d+ bytes: the file was"
                    + " deleted", WAIT);
        }
        server.awaitLog("\\[faults\\] .* waiting for it to exist again", WAIT);

        Map<String, Long> refused = Map.of(InstanceCounters.ALLOW, 1L, InstanceCounters.MAX_CLIENTS, 1L,
                InstanceCounters.BAD_REQUEST, 1L, InstanceCounters.MAX_PENDING, 1L, InstanceCounters.HEADER_TIMEOUT, 2L);
        Map<String, Long> closed = Map.of(InstanceCounters.GONE, 1L, InstanceCounters.RESET, 1L,
                InstanceCounters.TRUNCATED_PAST, 1L, InstanceCounters.FILE_GONE, 1L);
        long accepted = 1 + 1 + 1 + 1 + 3 + 3; // outsider, first, second, bad, three silent, three more streaming

        assertEquals(accepted, mbeans.getAttribute(FAULTS, "Accepted"));
        assertEquals(withZeros(refused, InstanceCounters.PLAIN_ON_TLS, InstanceCounters.TLS_IDENTITY),
                map((TabularData) mbeans.getAttribute(FAULTS, "Refused")));
        assertEquals(withZeros(closed, InstanceCounters.STOPPED, InstanceCounters.SEND_FAILED, InstanceCounters.COMPLETE),
                map((TabularData) mbeans.getAttribute(FAULTS, "Closed")));
        await("faults WAITING for its file", WAIT, () -> mbeans.getAttribute(FAULTS, "State").equals("WAITING"));

        Map<String, Double> series = series(get("/metrics", "GET").body());
        String labels = "file=\"" + faultsFile + "\",instance=\"faults\"";
        assertEquals(accepted, value(series, "tailsrv_connections_accepted_total{" + labels + "}"));
        refused.forEach((reason, n) -> assertEquals(n.doubleValue(),
                value(series, "tailsrv_connections_refused_total{" + labels + ",reason=\"" + reason + "\"}"), reason));
        closed.forEach((reason, n) -> assertEquals(n.doubleValue(),
                value(series, "tailsrv_clients_closed_total{" + labels + ",reason=\"" + reason + "\"}"), reason));
        assertEquals(1.0, value(series, "tailsrv_instance_state{" + labels + ",state=\"WAITING\"}"));
        assertEquals(1.0, value(series, "tailsrv_instance_up{" + labels + "}"), "waiting, it still listens");
        assertFalse(series.containsKey("tailsrv_file_size_bytes{" + labels + "}"), "no file, no size");
        assertEquals(0.0, value(series, "tailsrv_connections_refused_total{file=\"" + mainFile
                + "\",instance=\"main\",reason=\"allow\"}"), "counted for its instance only");

        // Felix Health Checks keeps a result for 2 s: one from before may still be shown.
        await("faults' health check warning that it waits for its file", WAIT, () -> console("hc:exec tailsrv").lines()
                .anyMatch(line -> line.matches("tailsrv faults\\s+WARN\\s+.*waiting for .*")));
    }

    @Test
    @Order(5)
    void jmxAndMetricsListenOnLoopbackOnlyEachOnItsOnePort() throws IOException {
        Set<String> listening = ProcFs.listeningTcp(server.pid());
        assertTrue(listening.contains("127.0.0.1:" + jmxPort), listening.toString());
        assertTrue(listening.contains("127.0.0.1:" + metricsPort), listening.toString());
        assertEquals(4, listening.size(), "the two instances' ports, JMX's and the metrics', no other: " + listening);
    }

    /** Single-file mode: --metrics and --jmx too; a JMX address in use is logged, and the file served all the same. */
    @Test
    void theCommandLineServesMetricsAndOutlivesAJmxPortInUse() throws Exception {
        Path file = write(dir, "single.log", "single\n");
        List<Integer> ports = Client.freePorts(3);
        try (ServerSocket taken = new ServerSocket(ports.get(1), 50, InetAddress.getByName("127.0.0.1"));
                TailsrvProcess single = TailsrvProcess.start("-p", ports.get(0).toString(),
                        "--jmx", "127.0.0.1:" + taken.getLocalPort(), "--metrics", "127.0.0.1:" + ports.get(2),
                        file.toString())) {
            single.awaitListening();
            single.awaitLog("ERROR cannot serve jmx on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use$",
                    WAIT);
            try (Client client = Client.request(ports.get(0), "0")) {
                assertEquals("single\n", client.readString(7));
            }
            single.awaitLog("serving prometheus metrics on http://127.0.0.1:" + ports.get(2) + "/metrics", WAIT);
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ports.get(2) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            assertEquals(7.0, value(series(scrape.body()), "tailsrv_bytes_sent_total{file=\"" + file
                    + "\",instance=\"single.log\"}"), scrape.body());
        }
    }

    @Test
    void aBadAddressIsAUsageError() throws Exception {
        for (String[] args : List.of(
                new String[] {"--jmx", "127.0.0.1", "-p", "4321", "f"},
                new String[] {"--metrics", "127.0.0.1:70000", "-p", "4321", "f"},
                new String[] {"--metrics", "no.such.host.invalid:9100", "-p", "4321", "f"},
                new String[] {"--config-dir", "/tmp", "--jmx", "localhost:x"})) {
            try (TailsrvProcess process = TailsrvProcess.start(args)) {
                assertEquals(2, process.awaitExit(WAIT), String.join(" ", args));
                String stderr = String.join("\n", process.stderr());
                assertTrue(stderr.contains("Invalid value for option '" + args[args[0].equals("--config-dir") ? 2 : 0]
                        + "'"), stderr);
            }
        }
    }

    // ---- helpers ----

    private static ObjectName name(String instance) {
        try {
            return new ObjectName("io.tailsrv:type=Instance,name=" + instance);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private TabularData clients() throws Exception {
        return (TabularData) mbeans.invoke(MAIN, "clients", new Object[0], new String[0]);
    }

    private static CompositeData row(TabularData clients, Client client) {
        CompositeData row = clients.get(new Object[] {"127.0.0.1:" + client.socket.getLocalPort()});
        assertNotNull(row, "no row for 127.0.0.1:" + client.socket.getLocalPort() + " in " + clients);
        return row;
    }

    private static Map<String, Long> map(TabularData table) {
        Map<String, Long> map = new HashMap<>();
        for (Object entry : table.values()) {
            map.put((String) ((CompositeData) entry).get("key"), (Long) ((CompositeData) entry).get("value"));
        }
        return map;
    }

    private static Map<String, Long> withZeros(Map<String, Long> counted, String... zero) {
        Map<String, Long> all = new HashMap<>(counted);
        for (String reason : zero) {
            all.put(reason, 0L);
        }
        return all;
    }

    private HttpResponse<String> get(String path, String method) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Each series of a scrape, {@code name{labels}}, and its value. */
    private static Map<String, Double> series(String scrape) {
        Map<String, Double> series = new HashMap<>();
        Matcher line = SERIES.matcher(scrape);
        while (line.find()) {
            series.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return series;
    }

    private static double value(Map<String, Double> series, String name) {
        Double value = series.get(name);
        assertNotNull(value, "no series " + name + " in " + series.keySet());
        return value;
    }

    /**
     * Types {@code command} into the console and returns what it printed.
     * An {@code echo} follows it, whose line says that the command's output
     * is whole: nothing else does, as the next prompt ends no line.
     */
    private String console(String command) throws Exception {
        String end = "end of command " + ++commands;
        int from = server.stdout().length();
        server.stdin().write((command + "\necho " + end + "\n").getBytes(StandardCharsets.UTF_8));
        server.stdin().flush();
        await(() -> command + " did not finish; stdout:\n" + server.stdout().substring(from), WAIT,
                () -> server.stdout().indexOf(end + "\n", from) >= 0);
        String out = server.stdout();
        return out.substring(from, out.indexOf(end + "\n", from));
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
