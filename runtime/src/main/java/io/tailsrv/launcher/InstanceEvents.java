package io.tailsrv.launcher;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

import io.tailsrv.api.InstanceStatus;

/**
 * Follows the state every tailsrv instance publishes on its InstanceStatus
 * service. Only service properties are read, through the API's constants
 * (inlined by the compiler), so no class of the API is loaded outside the
 * framework. Events are queued: the framework's thread that reports
 * them must not be the one that acts on them (stopping the framework from
 * inside its own event delivery would deadlock).
 */
final class InstanceEvents implements ServiceListener, AutoCloseable {

    /** One instance's state, as published. */
    record Change(String name, String state, String reason, boolean unregistered) {
    }

    private static final String FILTER = "(objectClass=" + InstanceStatus.SERVICE_NAME + ")";

    private final BundleContext context;
    private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();

    InstanceEvents(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        context.addServiceListener(this, FILTER);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        changes.add(new Change(
                String.valueOf(ref.getProperty(InstanceStatus.NAME)),
                String.valueOf(ref.getProperty(InstanceStatus.STATE)),
                (String) ref.getProperty(InstanceStatus.REASON),
                event.getType() == ServiceEvent.UNREGISTERING));
    }

    /** The next change, or null after {@code timeoutMillis}. */
    Change next(long timeoutMillis) throws InterruptedException {
        return changes.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The next change; waits as long as it takes. */
    Change next() throws InterruptedException {
        return changes.take();
    }

    @Override
    public void close() {
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the framework has stopped already
        }
    }
}
