package io.tailsrv.metrics.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.InstanceStatus.State;
import io.tailsrv.api.RelayStatus;

/**
 * Every instance's figures in the Prometheus text format (0.0.4), written by
 * the Prometheus Java client's own writer: instance-level series only, each
 * labelled with the instance's name and file. A client has no series of its
 * own: their number has no bound, and a series per connection would be a
 * new series at every reconnection.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    /** Every series tailsrv exposes. */
    enum Metric {
        INSTANCE_UP("tailsrv_instance_up", false,
                "1 while the instance listens (serving its file or waiting for it), 0 when it is stopped or failed"),
        INSTANCE_STATE("tailsrv_instance_state", false,
                "1 for the state the instance is in (SERVING, WAITING, STOPPED, FAILED), 0 for the others"),
        FILE_SIZE("tailsrv_file_size_bytes", false, "the served file's size as last seen; absent while no file is open"),
        BYTES_SENT("tailsrv_bytes_sent_total", true, "file bytes sent to clients since the instance started"),
        ACCEPTED("tailsrv_connections_accepted_total", true,
                "connections accepted since the instance started, before any check"),
        REFUSED("tailsrv_connections_refused_total", true, "connections refused since the instance started, by reason"),
        CLOSED("tailsrv_clients_closed_total", true, "clients closed since the instance started, by reason"),
        CLIENTS("tailsrv_clients", false, "connected clients: streaming (past their handshake) or pending (in it)"),
        SLOWEST_LAG_BYTES("tailsrv_slowest_client_lag_bytes", false,
                "bytes between the furthest-behind streaming client's position and the end of the file"),
        SLOWEST_LAG_SECONDS("tailsrv_slowest_client_lag_seconds", false,
                "seconds since the furthest-behind streaming client's position was last the end of the file"),
        RELAY_STATE("tailsrv_relay_state", false,
                "1 for the state a relay is in (CONNECTING, FOLLOWING, BACKING_OFF, FAILED), 0 for the others"),
        RELAY_UPSTREAM_LAG("tailsrv_relay_upstream_lag_bytes", false,
                "bytes a relay's file is behind its upstream's; absent while unknown"),
        RELAY_RECONNECTS("tailsrv_relay_reconnects_total", true,
                "times a relay connected to an upstream again after a failure, since it started"),
        RELAY_CONTINUITY_FAILURES("tailsrv_relay_continuity_failures_total", true,
                "times an upstream's bytes differed from the relay's file");

        final String name;
        final boolean counter;
        final String help;

        Metric(String name, boolean counter, String help) {
            this.name = name;
            this.counter = counter;
            this.help = help;
        }
    }

    /** One value of a series. */
    private record Point(Labels labels, double value) {
    }

    private final Map<Metric, List<Point>> points = new EnumMap<>(Metric.class);

    private PrometheusText() {
    }

    /** Writes the figures of {@code instances}; an instance that stops while it is read is left out. */
    static void write(List<InstanceStatus> instances, OutputStream out) throws IOException {
        PrometheusText text = new PrometheusText();
        for (InstanceStatus instance : instances) {
            Reading reading;
            try {
                reading = new Reading(instance);
            } catch (IllegalStateException stopping) {
                continue; // its I/O threads did not answer: it is going, and its figures with it
            }
            text.add(reading);
        }
        WRITER.write(out, text.snapshots());
    }

    /** An instance's figures, read before any is written, so that a failed read leaves out the whole instance. */
    private static final class Reading {
        final Labels labels;
        final State state;
        final long fileSize;
        final InstanceCounters counters;
        final RelayStatus relay;

        Reading(InstanceStatus instance) {
            labels = Labels.of("instance", instance.name(), "file", instance.file());
            state = instance.state();
            fileSize = instance.fileSize();
            counters = instance.counters();
            relay = instance.relay();
        }
    }

    private void add(Reading instance) {
        Labels labels = instance.labels;
        add(Metric.INSTANCE_UP, labels, instance.state == State.SERVING || instance.state == State.WAITING ? 1 : 0);
        for (State state : State.values()) {
            add(Metric.INSTANCE_STATE, labels.add("state", state.name()), state == instance.state ? 1 : 0);
        }
        if (instance.fileSize >= 0) {
            add(Metric.FILE_SIZE, labels, instance.fileSize);
        }
        InstanceCounters counters = instance.counters;
        add(Metric.BYTES_SENT, labels, counters.bytesSent());
        add(Metric.ACCEPTED, labels, counters.accepted());
        ByReason.refused(counters).forEach((reason, n) -> add(Metric.REFUSED, labels.add("reason", reason), n));
        ByReason.closed(counters).forEach((reason, n) -> add(Metric.CLOSED, labels.add("reason", reason), n));
        add(Metric.CLIENTS, labels.add("state", "streaming"), counters.streaming());
        add(Metric.CLIENTS, labels.add("state", "pending"), counters.pending());
        add(Metric.SLOWEST_LAG_BYTES, labels, counters.slowestLagBytes());
        add(Metric.SLOWEST_LAG_SECONDS, labels, counters.slowestLagSeconds());
        RelayStatus relay = instance.relay;
        if (relay != null) {
            for (RelayStatus.State state : RelayStatus.State.values()) {
                add(Metric.RELAY_STATE, labels.add("state", state.name()), state == relay.state() ? 1 : 0);
            }
            if (relay.lag() >= 0) {
                add(Metric.RELAY_UPSTREAM_LAG, labels, relay.lag());
            }
            add(Metric.RELAY_RECONNECTS, labels, relay.reconnects());
            add(Metric.RELAY_CONTINUITY_FAILURES, labels, relay.continuityFailures());
        }
    }

    private void add(Metric metric, Labels labels, double value) {
        points.computeIfAbsent(metric, key -> new ArrayList<>()).add(new Point(labels, value));
    }

    private MetricSnapshots snapshots() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        points.forEach((metric, values) -> snapshots.add(metric.counter ? counter(metric, values) : gauge(metric, values)));
        return new MetricSnapshots(snapshots);
    }

    private static CounterSnapshot counter(Metric metric, List<Point> values) {
        // The client's counters take the name without _total, which its writer adds.
        CounterSnapshot.Builder counter = CounterSnapshot.builder()
                .name(metric.name.substring(0, metric.name.length() - "_total".length())).help(metric.help);
        values.forEach(point -> counter.dataPoint(
                CounterDataPointSnapshot.builder().labels(point.labels()).value(point.value()).build()));
        return counter.build();
    }

    private static GaugeSnapshot gauge(Metric metric, List<Point> values) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(metric.name).help(metric.help);
        values.forEach(point -> gauge.dataPoint(
                GaugeDataPointSnapshot.builder().labels(point.labels()).value(point.value()).build()));
        return gauge.build();
    }
}
