package io.tailsrv.metrics.internal;

import java.util.Map;

import org.osgi.framework.ServiceReference;

import io.tailsrv.api.InstanceCounters;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.RelayStatus;

/**
 * An instance's attributes: each asks the instance. Counters are summed over
 * the I/O threads on every read, which costs a visit to each thread: a few
 * a second from a JMX console, nothing on the path that sends.
 */
final class InstanceAttributes implements InstanceMXBean {

    private final InstanceStatus status;
    /** For the port, which the status service carries as a property. */
    private final ServiceReference<InstanceStatus> reference;

    InstanceAttributes(InstanceStatus status, ServiceReference<InstanceStatus> reference) {
        this.status = status;
        this.reference = reference;
    }

    @Override
    public String getState() {
        return status.state().name();
    }

    @Override
    public String getReason() {
        return status.reason();
    }

    @Override
    public Integer getPort() {
        return (Integer) reference.getProperty(InstanceStatus.PORT);
    }

    @Override
    public String getFile() {
        return status.file();
    }

    @Override
    public long getFileSize() {
        return status.fileSize();
    }

    @Override
    public int getClients() {
        return counters().streaming();
    }

    @Override
    public int getPending() {
        return counters().pending();
    }

    @Override
    public long getBytesSent() {
        return counters().bytesSent();
    }

    @Override
    public long getAccepted() {
        return counters().accepted();
    }

    @Override
    public Map<String, Long> getRefused() {
        return ByReason.refused(counters());
    }

    @Override
    public Map<String, Long> getClosed() {
        return ByReason.closed(counters());
    }

    @Override
    public long getSlowestLagBytes() {
        return counters().slowestLagBytes();
    }

    @Override
    public double getSlowestLagSeconds() {
        return counters().slowestLagSeconds();
    }

    @Override
    public String getUpstream() {
        RelayStatus relay = status.relay();
        return relay == null ? null : relay.upstream();
    }

    @Override
    public String getRelayState() {
        RelayStatus relay = status.relay();
        return relay == null ? null : relay.state().name();
    }

    @Override
    public Long getUpstreamLag() {
        RelayStatus relay = status.relay();
        return relay == null ? null : relay.lag();
    }

    @Override
    public Long getReconnects() {
        RelayStatus relay = status.relay();
        return relay == null ? null : relay.reconnects();
    }

    @Override
    public Long getContinuityFailures() {
        RelayStatus relay = status.relay();
        return relay == null ? null : relay.continuityFailures();
    }

    private InstanceCounters counters() {
        return status.counters();
    }
}
