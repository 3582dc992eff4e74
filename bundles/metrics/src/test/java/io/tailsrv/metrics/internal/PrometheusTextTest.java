package io.tailsrv.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.api.RelayStatus;

class PrometheusTextTest {

    @Test
    void anInstancesSeries() throws IOException {
        Instance instance = new Instance();
        instance.counters = new InstanceCounters(7, Map.of(InstanceCounters.ALLOW, 2L), Map.of(InstanceCounters.GONE, 3L),
                4096, 2, 1, 300, 4.5);
        List<String> lines = text(instance).lines().toList();
        String labels = "{file=\"/var/log/app.log\",instance=\"app\"";
        for (String line : List.of(
                "tailsrv_instance_up" + labels + "} 1.0",
                "tailsrv_instance_state" + labels + ",state=\"SERVING\"} 1.0",
                "tailsrv_instance_state" + labels + ",state=\"FAILED\"} 0.0",
                "tailsrv_file_size_bytes" + labels + "} 1000.0",
                "tailsrv_bytes_sent_total" + labels + "} 4096.0",
                "tailsrv_connections_accepted_total" + labels + "} 7.0",
                "tailsrv_connections_refused_total" + labels + ",reason=\"allow\"} 2.0",
                "tailsrv_connections_refused_total" + labels + ",reason=\"header timeout\"} 0.0",
                "tailsrv_clients_closed_total" + labels + ",reason=\"gone\"} 3.0",
                "tailsrv_clients_closed_total" + labels + ",reason=\"reset\"} 0.0",
                "tailsrv_clients" + labels + ",state=\"streaming\"} 2.0",
                "tailsrv_clients" + labels + ",state=\"pending\"} 1.0",
                "tailsrv_slowest_client_lag_bytes" + labels + "} 300.0",
                "tailsrv_slowest_client_lag_seconds" + labels + "} 4.5",
                "# TYPE tailsrv_bytes_sent_total counter",
                "# TYPE tailsrv_clients gauge",
                "# HELP tailsrv_slowest_client_lag_seconds seconds since the furthest-behind streaming client's"
                        + " position was last the end of the file")) {
            assertTrue(lines.contains(line), line + " in\n" + String.join("\n", lines));
        }
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("tailsrv_relay_")), "no relay series without a relay");
    }

    @Test
    void everyMetricHasHelpAndTypeAndPromtoolAcceptsThem() throws Exception {
        Instance serving = new Instance();
        serving.counters = new InstanceCounters(1, Map.of("tls: certificate_unknown", 1L, "http: 404", 2L), Map.of(),
                10, 1, 0, 0, 0);
        Instance relay = new Instance();
        relay.name = "relay \"one\"";
        relay.file = "/tmp/with\\back\nslash";
        relay.state = State.WAITING;
        relay.fileSize = -1;
        relay.relay = new RelayStatus(RelayStatus.State.FOLLOWING, "origin:4321", 100, 2, 0, null);
        String text = text(serving, relay);
        for (PrometheusText.Metric metric : PrometheusText.Metric.values()) {
            assertTrue(text.contains("# HELP " + metric.name + " "), metric.name);
            assertTrue(text.contains("# TYPE " + metric.name + (metric.counter ? " counter" : " gauge")), metric.name);
        }
        assertTrue(text.contains("instance=\"relay \\\"one\\\"\""), text);
        assertTrue(text.contains("file=\"/tmp/with\\\\back\\nslash\""), text);
        assertEquals(1, text.lines().filter(line -> line.startsWith("tailsrv_file_size_bytes{")).count(),
                "no size while no file is open");
        assertEquals("", promtool(text));
    }

    @Test
    void anInstanceThatStopsWhileReadIsLeftOut() throws IOException {
        Instance stopping = new Instance() {
            @Override
            public InstanceCounters counters() {
                throw new IllegalStateException("tailsrv-io-0 did not answer within 5000 ms");
            }
        };
        stopping.name = "stopping";
        String text = text(new Instance(), stopping);
        assertTrue(text.contains("instance=\"app\""), text);
        assertTrue(!text.contains("stopping"), text);
    }

    private static String text(InstanceStatus... instances) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusText.write(List.of(instances), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What {@code promtool check metrics} says of {@code text}: nothing when it passes. */
    static String promtool(String text) throws IOException, InterruptedException {
        boolean installed = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> new File(dir, "promtool").canExecute());
        Assumptions.assumeTrue(installed, "promtool is not installed (Debian: apt install prometheus)");
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, promtool.exitValue(), said);
        return said;
    }
}
