package io.tailsrv.server.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileWatch;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.api.ZeroCopySender;

/**
 * One {@code tailsrv} factory configuration: one file served on one port.
 * Creating the configuration starts it, deleting it stops it; an edit of
 * {@code file}, {@code port}, {@code bind}, {@code linger} or {@code enabled}
 * restarts it, any other edit applies without disturbing its clients. A
 * configuration that cannot run shows as FAILED, naming the property.
 */
@Component(
        service = {},
        configurationPid = TailServer.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TailsrvConfig.class, factory = true)
public final class TailServer {

    static final String FACTORY_PID = InstanceConfig.FACTORY_PID;

    private static final Logger LOG = LoggerFactory.getLogger(TailServer.class);

    @Reference
    private FileWatch fileWatch;
    @Reference
    private ZeroCopySender sender;
    @Reference
    private OffsetProtocol protocol;
    @Reference
    private IoThreads io;

    private BundleContext context;
    private String name;
    private String pid;
    private Settings settings;
    private Instance running;
    /**
     * Configurations applied so far, published so that a watcher can tell when
     * an edit took effect. Written on SCR's thread only; read by any.
     */
    private volatile long applied;
    private volatile InstanceStatus shown;
    private volatile ServiceRegistration<InstanceStatus> registration;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        context = bundleContext;
        pid = String.valueOf(properties.get("service.pid"));
        name = InstanceNames.of(properties);
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    void deactivate(int reason) {
        // Whatever SCR says while the framework stops (a dependency may go first), the server is stopping.
        String why = context.getBundle(0).getState() == Bundle.STOPPING ? "server stopping" : why(reason);
        if (running == null) { // it was not running: nothing else says it went
            LOG.atInfo().addKeyValue(LogFields.INSTANCE, name).log("[{}] removed: {}", name, why);
        }
        stopRunning(why);
        show(null);
    }

    private static String why(int reason) {
        switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED:
                return "configuration removed";
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE:
                return "a service it needs went away";
            case ComponentConstants.DEACTIVATION_REASON_DISABLED:
                return "component disabled";
            default:
                return "server stopping";
        }
    }

    private void apply(Map<String, Object> properties) {
        Settings next;
        try {
            next = Settings.from(properties);
        } catch (InvalidSettingException e) {
            stopRunning("configuration is invalid");
            LOG.atError().addKeyValue(LogFields.INSTANCE, name)
                    .log("[{}] FAILED: {} (in {})", name, e.getMessage(), InstanceNames.source(properties));
            applied++;
            show(new InvalidInstance(name, e.getMessage(), properties));
            return;
        }
        if (running != null && !settings.needsRestartFor(next)) {
            settings = next;
            running.update(next);
            applied++;
            publish(running); // the same state, a new CONFIG_CHANGE: watchers see the edit land
            return;
        }
        stopRunning("configuration changed");
        settings = next;
        running = new Instance(name, next, fileWatch, sender, protocol, io, this::publish);
        running.start();
        applied++;
        // Registered once started, so that whoever follows the service never sees a
        // state from before the start (a launcher waiting for readiness, say).
        show(running);
    }

    private void stopRunning(String why) {
        if (running != null) {
            running.stop(why);
            running = null;
            settings = null;
        }
    }

    /** Registers {@code status} as this configuration's InstanceStatus service, replacing the last one. */
    private void show(InstanceStatus status) {
        ServiceRegistration<InstanceStatus> old = registration;
        registration = null;
        shown = status;
        if (old != null) {
            old.unregister();
        }
        if (status != null) {
            registration = context.registerService(InstanceStatus.class, status, properties(status));
        }
    }

    /** Keeps the status service's properties in step with the instance, so watchers need not poll. */
    private void publish(InstanceStatus source) {
        ServiceRegistration<InstanceStatus> current = registration;
        if (current != null && shown == source) {
            try {
                current.setProperties(properties(source));
            } catch (IllegalStateException e) {
                // unregistered concurrently: this instance is going away
            }
        }
    }

    private Dictionary<String, Object> properties(InstanceStatus status) {
        Hashtable<String, Object> out = new Hashtable<>();
        out.put(InstanceStatus.NAME, name);
        out.put(InstanceStatus.CONFIG_PID, pid);
        out.put(InstanceStatus.CONFIG_CHANGE, applied);
        out.put(InstanceStatus.STATE, status.state().name());
        Settings current = settings;
        if (current != null && status == running) {
            out.put(InstanceStatus.PORT, current.port());
        }
        if (status.reason() != null) {
            out.put(InstanceStatus.REASON, status.reason());
        }
        return out;
    }
}
