package io.tailsrv.systemd.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.condition.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;

/**
 * READY=1 and RELOADING=1. Start-up is complete when the launcher says so,
 * by registering the condition {@value io.tailsrv.api.Readiness#CONDITION_ID}:
 * it knows which instances its run starts and waits until each of them listens. After
 * that, each change of a {@code tailsrv} configuration is a reload, finished
 * once its instance shows it took effect: a new
 * {@value InstanceStatus#CONFIG_CHANGE} (or its status service gone, for a
 * deleted configuration).
 *
 * <p>Configuration events arrive synchronously, in the thread that changes the
 * configuration, so before the server (through SCR's asynchronous listener)
 * can apply them; the instance's answer cannot overtake its question.
 */
final class Readiness implements ServiceListener {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    private static final String LAUNCHER_READY = io.tailsrv.api.Readiness.CONDITION_FILTER;
    private static final String INSTANCE_STATUS = "(objectClass=" + InstanceStatus.class.getName() + ")";
    /** A change whose instance never answers (its component could not start, say) ends the reload after this. */
    private static final long CHANGE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final BundleContext context;
    private final NotifySocket socket;
    private final Map<String, Change> changes = new HashMap<>(); // by PID; guarded by this
    private boolean started; // guarded by this

    /** A configuration change not yet in effect. */
    private record Change(boolean deleted, Object appliedBefore, long sinceNanos) {

        boolean tookEffect(ServiceEvent event) {
            if (deleted) {
                return event.getType() == ServiceEvent.UNREGISTERING;
            }
            return event.getType() != ServiceEvent.UNREGISTERING
                    && !Objects.equals(appliedBefore, event.getServiceReference().getProperty(InstanceStatus.CONFIG_CHANGE));
        }
    }

    Readiness(BundleContext context, NotifySocket socket) {
        this.context = context;
        this.socket = socket;
    }

    void open() throws InvalidSyntaxException {
        context.addServiceListener(this, "(|" + INSTANCE_STATUS + LAUNCHER_READY + ")");
        if (context.getServiceReferences((String) null, LAUNCHER_READY) != null) {
            launcherReady();
        }
    }

    void close() {
        context.removeServiceListener(this);
    }

    /** A configuration was created, updated or deleted: a reload begins, unless start-up is still going on. */
    synchronized void configurationChanged(ConfigurationEvent event) {
        boolean deleted = event.getType() == ConfigurationEvent.CM_DELETED;
        if (!started || !InstanceConfig.FACTORY_PID.equals(event.getFactoryPid())
                || (!deleted && event.getType() != ConfigurationEvent.CM_UPDATED)) {
            return;
        }
        ServiceReference<?> instance = instanceOf(event.getPid());
        if (deleted && instance == null) {
            return; // nothing ran it: nothing changes
        }
        if (changes.isEmpty()) {
            // MONOTONIC_USEC: systemd 253 and later want it with RELOADING=1; System.nanoTime() is CLOCK_MONOTONIC.
            socket.send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
        }
        Object applied = instance == null ? null : instance.getProperty(InstanceStatus.CONFIG_CHANGE);
        changes.put(event.getPid(), new Change(deleted, applied, System.nanoTime()));
    }

    @Override
    public synchronized void serviceChanged(ServiceEvent event) {
        ServiceReference<?> reference = event.getServiceReference();
        if (io.tailsrv.api.Readiness.CONDITION_ID.equals(reference.getProperty(Condition.CONDITION_ID))) {
            if (event.getType() == ServiceEvent.REGISTERED) {
                launcherReady();
            }
            return;
        }
        Object pid = reference.getProperty(InstanceStatus.CONFIG_PID);
        Change change = changes.get(pid);
        if (change != null && change.tookEffect(event)) {
            changes.remove(pid);
            readyIfSettled();
        }
    }

    /** Ends the reload if what is left of it has waited too long. */
    synchronized void expireStaleChanges() {
        long now = System.nanoTime();
        boolean expired = changes.entrySet().removeIf(entry -> {
            if (now - entry.getValue().sinceNanos() < CHANGE_TIMEOUT_NANOS) {
                return false;
            }
            LOG.warn("configuration {} did not take effect within {} s", entry.getKey(),
                    TimeUnit.NANOSECONDS.toSeconds(CHANGE_TIMEOUT_NANOS));
            return true;
        });
        if (expired) {
            readyIfSettled();
        }
    }

    private void launcherReady() {
        if (!started) {
            started = true;
            socket.send("READY=1");
        }
    }

    private void readyIfSettled() {
        if (changes.isEmpty()) {
            socket.send("READY=1");
        }
    }

    private ServiceReference<?> instanceOf(String pid) {
        try {
            ServiceReference<?>[] found = context.getServiceReferences(InstanceStatus.class.getName(),
                    "(" + InstanceStatus.CONFIG_PID + "=" + escape(pid) + ")");
            return found == null ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("PID " + pid, e);
        }
    }

    /** {@code value} as a filter's value: the characters filters give a meaning to, escaped. */
    static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
