package io.tailsrv.server.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.FileWatch;
import io.tailsrv.api.HttpProtocol;
import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.OffsetProtocol;
import io.tailsrv.api.PeerProbe;
import io.tailsrv.api.RelayStatus;
import io.tailsrv.api.Relays;
import io.tailsrv.api.TlsContexts;
import io.tailsrv.api.ZeroCopySender;
import io.tailsrv.server.internal.config.InvalidSettingException;
import io.tailsrv.server.internal.config.LogFields;
import io.tailsrv.server.internal.config.Settings;
import io.tailsrv.server.internal.loop.IoThreads;

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
    private PeerProbe peers;
    /** Optional: without the TLS bundle, only instances that ask for TLS fail. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private TlsContexts tls;
    /** Optional: without the HTTP bundle, ports speak the offset protocol only. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private HttpProtocol http;
    /** Optional: without the relay bundle, only instances that follow an upstream fail. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private Relays relays;
    @Reference
    private IoThreads io;
    @Reference
    private StatusPublisher publisher;

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
    /** What is shown as this configuration's status: the running instance, an invalid one, or nothing. */
    private volatile InstanceStatus shown;
    private StatusPublisher.Publication publication;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        context = bundleContext;
        publication = publisher.publication(bundleContext);
        pid = String.valueOf(properties.get("service.pid"));
        name = InstanceNames.of(properties);
        if (frameworkStopping()) {
            // While the framework stops, SCR takes the optional services (HTTP, TLS, relays) away one by
            // one and activates this again without each: nothing starts then, and nothing fails again.
            return;
        }
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        if (!frameworkStopping()) {
            apply(properties);
        }
    }

    @Deactivate
    void deactivate(int reason) {
        // Whatever SCR says while the framework stops (a dependency may go first), the server is stopping.
        String why = frameworkStopping() ? "server stopping" : why(reason);
        if (running == null && shown == null) { // never started: see activate
            return;
        }
        if (running == null) { // it was not running: nothing else says it went
            LOG.atInfo().addKeyValue(LogFields.INSTANCE, name).log("[{}] removed: {}", name, why);
        }
        stopRunning(why);
        show(null);
    }

    private boolean frameworkStopping() {
        return context.getBundle(0).getState() == Bundle.STOPPING;
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
            publish(running.status()); // the same state, a new CONFIG_CHANGE: watchers see the edit land
            return;
        }
        stopRunning("configuration changed");
        settings = next;
        running = new Instance(name, next, new Instance.Services(fileWatch, protocol, sender, peers, tls, http, relays, io), this::publish);
        applied++;
        // Shown from its first state on (listening, stopped or failed), so that whoever follows the
        // service sees every state it goes through but none from before it listens: a launcher
        // waiting for readiness, or for the file to be served and then gone.
        expect(running.status());
        running.start();
    }

    private void stopRunning(String why) {
        if (running != null) {
            running.stop(why);
            running = null;
            settings = null;
        }
    }

    /** Shows {@code status} from its next state change on (see {@link StatusPublisher.Publication#expect}). */
    private synchronized void expect(InstanceStatus status) {
        shown = status;
        publication.expect(status);
    }

    /**
     * Shows {@code status} as this configuration's InstanceStatus service,
     * replacing the last one. Synchronized with {@link #publish}, so that
     * taking properties and queuing them happen in the same order.
     */
    private synchronized void show(InstanceStatus status) {
        shown = status;
        publication.show(status, status == null ? null : properties(status));
    }

    /**
     * Keeps the status service's properties in step with the instance, so
     * watchers need not poll. Called on whichever thread changed the state
     * (the file watch's, often): the properties are taken now, and set on
     * the status thread.
     */
    private synchronized void publish(InstanceStatus source) {
        if (shown == source) {
            publication.update(source, properties(source));
        }
    }

    private Dictionary<String, Object> properties(InstanceStatus status) {
        Hashtable<String, Object> out = new Hashtable<>();
        out.put(InstanceStatus.NAME, name);
        out.put(InstanceStatus.CONFIG_PID, pid);
        out.put(InstanceStatus.CONFIG_CHANGE, applied);
        out.put(InstanceStatus.STATE, status.state().name());
        Settings current = settings;
        if (current != null && running != null && status == running.status()) {
            out.put(InstanceStatus.PORT, current.port());
            out.put(InstanceStatus.LAG_WARN_SECONDS, current.lagWarnSeconds());
        }
        if (status.reason() != null) {
            out.put(InstanceStatus.REASON, status.reason());
        }
        RelayStatus relay = status.relay();
        if (relay != null) {
            out.put(InstanceStatus.RELAY_STATE, relay.state().name());
        }
        return out;
    }
}
