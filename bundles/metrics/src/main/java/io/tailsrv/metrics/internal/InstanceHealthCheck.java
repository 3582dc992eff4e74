package io.tailsrv.metrics.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.osgi.framework.ServiceReference;

import io.tailsrv.api.InstanceStatus;

/** One instance's health check, by {@link HealthRules}: read from the instance at each execution. */
final class InstanceHealthCheck implements HealthCheck {

    /** What the server publishes when the configuration does not say: lag.warn.seconds' default. */
    static final double DEFAULT_LAG_WARN_SECONDS = 60;

    private final InstanceStatus status;
    /** For lag.warn.seconds, which the status service carries as a property and changes with the configuration. */
    private final ServiceReference<InstanceStatus> reference;

    InstanceHealthCheck(InstanceStatus status, ServiceReference<InstanceStatus> reference) {
        this.status = status;
        this.reference = reference;
    }

    @Override
    public Result execute() {
        Object warn = reference.getProperty(InstanceStatus.LAG_WARN_SECONDS);
        HealthRules.Reading reading = new HealthRules.Reading(status.state(), status.reason(), status.endpoint(),
                status.relay(), status.clients(),
                warn instanceof Number seconds ? seconds.doubleValue() : DEFAULT_LAG_WARN_SECONDS);
        ResultLog log = new ResultLog();
        for (HealthRules.Finding finding : HealthRules.of(reading)) {
            log.add(new ResultLog.Entry(status(finding.level()), finding.message()));
        }
        return new Result(log);
    }

    private static Result.Status status(HealthRules.Level level) {
        return switch (level) {
            case OK -> Result.Status.OK;
            case WARN -> Result.Status.WARN;
            case CRITICAL -> Result.Status.CRITICAL;
        };
    }
}
