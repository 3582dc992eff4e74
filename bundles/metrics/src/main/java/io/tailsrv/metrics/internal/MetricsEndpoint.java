package io.tailsrv.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tailsrv.api.InstanceStatus;

/**
 * {@code GET /metrics} in the Prometheus text format, on the address of
 * configuration {@code io.tailsrv.metrics} (Karaf: {@code etc/io.tailsrv.metrics.cfg}),
 * or else of framework property {@code tailsrv.metrics.address} (which
 * bin/tailsrv sets from --metrics). Without either, nothing listens and no
 * thread runs. The JDK's HTTP server answers on its one dispatcher thread;
 * a scrape reads the instances there, as it comes.
 *
 * <p>An address that cannot be bound is logged, and tailsrv serves its files
 * all the same: monitoring never takes the data path down.
 */
@Component(configurationPid = MetricsEndpoint.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsConfig.class)
public final class MetricsEndpoint {

    static final String PID = "io.tailsrv.metrics";
    /** Set by bin/tailsrv from --metrics (the launcher's Monitoring.METRICS_ADDRESS). */
    static final String ADDRESS_PROPERTY = "tailsrv.metrics.address";
    static final String PATH = "/metrics";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<InstanceStatus> instances;

    private HttpServer server;

    @Activate
    void activate(BundleContext context, MetricsConfig config) {
        String address = config.address().isBlank() ? context.getProperty(ADDRESS_PROPERTY) : config.address();
        if (address == null || address.isBlank()) {
            return;
        }
        try {
            InetSocketAddress bind = Address.parse(address.strip());
            server = HttpServer.create(bind, 0);
            server.createContext("/", this::answer);
            server.start();
            LOG.info("serving prometheus metrics on http://{}{}", address.strip(), PATH);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("cannot serve prometheus metrics on {}: {}", address, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** On the server's dispatcher thread: GET /metrics, and 404 for anything else. */
    private void answer(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            PrometheusText.write(instances, body);
            exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        } finally {
            exchange.close();
        }
    }
}
