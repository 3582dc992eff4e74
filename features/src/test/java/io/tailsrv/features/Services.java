package io.tailsrv.features;

import java.util.function.IntPredicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The services matching a filter, for waiting until there are so many of
 * them: each service event wakes the waiter, nothing polls. Matching
 * includes properties, so a filter on an instance's state is met when a
 * status service's properties change.
 */
final class Services implements AutoCloseable, ServiceTrackerCustomizer<Object, Object> {

    private final ServiceTracker<Object, Object> tracker;
    private final Object changed = new Object();

    /**
     * Counted here rather than read from the tracker, which counts a service
     * only after {@link #addingService} has returned (and woken the waiter).
     */
    private int size;

    Services(BundleContext context, String filter) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(filter), this);
        tracker.open(true);
    }

    /** Waits until the number of matching services passes {@code count}. */
    void await(String what, IntPredicate count) throws InterruptedException {
        Deadline deadline = new Deadline(what);
        synchronized (changed) {
            while (!count.test(size)) {
                changed.wait(deadline.remainingMillis());
            }
        }
    }

    ServiceReference<Object>[] references() {
        return tracker.getServiceReferences();
    }

    @Override
    public Object addingService(ServiceReference<Object> reference) {
        count(+1);
        return reference;
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, Object service) {
        // still matching: the count stands
    }

    @Override
    public void removedService(ServiceReference<Object> reference, Object service) {
        count(-1);
    }

    private void count(int change) {
        synchronized (changed) {
            size += change;
            changed.notifyAll();
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
