package io.tailsrv.metrics.internal;

import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.tailsrv.api.InstanceStatus;

/**
 * One service of this bundle for each tailsrv instance (an MBean, a health
 * check), registered while the instance's status service is. The server
 * bundle registers and withdraws status services on its status thread, so
 * the registrations here, and what their listeners do (a JMX whiteboard
 * registering an MBean), happen on that thread too, never on an I/O thread.
 *
 * @param <T> the type the services are registered as
 */
final class PerInstance<T> {

    private final BundleContext context;
    private final Class<T> type;
    /** By the status service's id. */
    private final Map<Long, ServiceRegistration<T>> registrations = new ConcurrentHashMap<>();

    PerInstance(BundleContext context, Class<T> type) {
        this.context = context;
        this.type = type;
    }

    void add(ServiceReference<InstanceStatus> instance, T service, Dictionary<String, Object> properties) {
        registrations.put(id(instance), context.registerService(type, service, properties));
    }

    void remove(ServiceReference<InstanceStatus> instance) {
        unregister(registrations.remove(id(instance)));
    }

    void removeAll() {
        registrations.keySet().forEach(id -> unregister(registrations.remove(id)));
    }

    /** The instance's name, as its status service says. */
    static String name(ServiceReference<InstanceStatus> instance) {
        return String.valueOf(instance.getProperty(InstanceStatus.NAME));
    }

    private static Long id(ServiceReference<InstanceStatus> instance) {
        return (Long) instance.getProperty(Constants.SERVICE_ID);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // this bundle is stopping: the framework has withdrawn its services already
        }
    }
}
