package io.tailsrv.metrics.internal;

import java.util.Hashtable;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.tailsrv.api.InstanceStatus;

/**
 * A Felix health check for every instance, named {@code tailsrv NAME} and
 * tagged {@code tailsrv}: {@code hc:exec tailsrv} runs them all.
 *
 * <p>Only where Felix Health Checks runs: the component needs its executor
 * (a reference that is never called, only required). Elsewhere no one would
 * run the checks, and this bundle may not even see the health check API,
 * which it imports optionally.
 */
@Component(immediate = true, reference = @Reference(name = "executor", service = HealthCheckExecutor.class))
public final class InstanceHealthChecks {

    /** Every check's tag. */
    static final String TAG = "tailsrv";

    private final PerInstance<HealthCheck> checks;

    @Activate
    public InstanceHealthChecks(BundleContext context) {
        checks = new PerInstance<>(context, HealthCheck.class);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeInstance")
    void addInstance(InstanceStatus status, ServiceReference<InstanceStatus> reference) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, TAG + " " + PerInstance.name(reference));
        properties.put(HealthCheck.TAGS, new String[] {TAG});
        checks.add(reference, new InstanceHealthCheck(status, reference), properties);
    }

    void removeInstance(ServiceReference<InstanceStatus> reference) {
        checks.remove(reference);
    }

    @Deactivate
    void deactivate() {
        checks.removeAll();
    }
}
