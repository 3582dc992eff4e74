package io.tailsrv.metrics.internal;

import java.util.Hashtable;

import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;

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
 * An MXBean for every instance, published the OSGi way: as a service with
 * the {@code jmx.objectname} property, which a JMX whiteboard (Apache Aries
 * JMX Whiteboard: Karaf has it, bin/tailsrv installs it with --jmx) registers
 * with every MBeanServer service there is. Without a whiteboard, or without
 * an MBeanServer service, the services are there and nothing reads them.
 */
@Component(immediate = true)
public final class InstanceMBeans {

    /** The whiteboard's property: the ObjectName to register the service's MBean as. */
    static final String OBJECT_NAME = "jmx.objectname";

    /**
     * Registered as DynamicMBean: the whiteboard follows services whose
     * interface name ends in "MBean", which an MXBean interface's does not.
     */
    private final PerInstance<DynamicMBean> mbeans;

    @Activate
    public InstanceMBeans(BundleContext context) {
        mbeans = new PerInstance<>(context, DynamicMBean.class);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeInstance")
    void addInstance(InstanceStatus status, ServiceReference<InstanceStatus> reference)
            throws NotCompliantMBeanException {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(OBJECT_NAME, InstanceObjectName.of(PerInstance.name(reference)).toString());
        mbeans.add(reference, new InstanceMBean(status, reference), properties);
    }

    void removeInstance(ServiceReference<InstanceStatus> reference) {
        mbeans.remove(reference);
    }

    @Deactivate
    void deactivate() {
        mbeans.removeAll();
    }
}
