package io.tailsrv.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What --jmx and --metrics add to a run, and only then (or with --console,
 * whose {@code hc:exec} runs the health checks): the bundles of
 * {@code bundle/monitoring/} (io.tailsrv.metrics and the JMX whiteboard),
 * the framework property that tells io.tailsrv.metrics where to serve GET
 * /metrics, the platform MBeanServer as a service for the whiteboard, and
 * the JMX connector. Without them a start installs and does what it did
 * before monitoring existed.
 *
 * <p>An address that cannot be bound is logged and the files are served
 * all the same: monitoring never takes the data path down.
 */
final class Monitoring implements AutoCloseable {

    /** Read by io.tailsrv.metrics (its MetricsEndpoint.ADDRESS_PROPERTY), which serves GET /metrics there. */
    static final String METRICS_ADDRESS = "tailsrv.metrics.address";

    private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

    private final HostPort jmx;
    private final HostPort metrics;
    private JmxConnector connector;

    /**
     * @param jmx --jmx, or null
     * @param metrics --metrics, or null
     */
    Monitoring(HostPort jmx, HostPort metrics) {
        this.jmx = jmx;
        this.metrics = metrics;
    }

    /** The bundles to install beside bundle/'s. */
    List<Path> bundles(Path home, boolean console) throws IOException {
        return jmx != null || metrics != null || console ? FelixHost.jars(home.resolve("bundle/monitoring")) : List.of();
    }

    Map<String, String> properties() {
        return metrics == null ? Map.of() : Map.of(METRICS_ADDRESS, metrics.toString());
    }

    /** With --jmx: the platform MBeanServer in the framework, where the whiteboard finds it, and over RMI. */
    void start(FelixHost host) {
        if (jmx == null) {
            return;
        }
        // Registered whether or not the connector starts: a local jconsole (by process id) sees the MBeans too.
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        host.context().registerService(MBeanServer.class, mbeans, null);
        try {
            connector = JmxConnector.start(jmx, mbeans);
        } catch (IOException e) {
            LOG.error("cannot serve jmx on {}: {}", jmx, rootCause(e).getMessage());
        }
    }

    /** RMI's exceptions nest the one that says what happened, and show it on a line of its own. */
    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        if (connector != null) {
            connector.close();
        }
    }
}
