package io.tailsrv.metrics.internal;

import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanException;
import javax.management.NotCompliantMBeanException;
import javax.management.ReflectionException;
import javax.management.StandardMBean;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfo;

import org.osgi.framework.ServiceReference;

import io.tailsrv.api.InstanceStatus;

/**
 * An instance's MBean: the MXBean of its {@linkplain InstanceMXBean attributes},
 * and the operation {@code clients()}, one row per client in a flat table.
 * That operation is added here rather than declared on the interface: the
 * MXBean mapping has no Java type that becomes such a table (it would map a
 * method returning TabularData as a bean, and a list of rows as an array).
 */
final class InstanceMBean extends StandardMBean {

    static final String CLIENTS = "clients";

    private final InstanceStatus status;
    private final MBeanInfo info;

    InstanceMBean(InstanceStatus status, ServiceReference<InstanceStatus> reference) throws NotCompliantMBeanException {
        super(new InstanceAttributes(status, reference), InstanceMXBean.class, true);
        this.status = status;
        MBeanInfo attributes = super.getMBeanInfo();
        MBeanOperationInfo clients = new OpenMBeanOperationInfoSupport(CLIENTS,
                "the connected clients: peer, protocol, identity, offset, lag in bytes and in seconds, bytes sent,"
                        + " connected since", new OpenMBeanParameterInfo[0], ClientTable.TABLE, MBeanOperationInfo.INFO);
        info = new MBeanInfo(attributes.getClassName(), "a tailsrv instance", attributes.getAttributes(),
                attributes.getConstructors(), new MBeanOperationInfo[] {clients}, attributes.getNotifications(),
                attributes.getDescriptor());
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        if (action.equals(CLIENTS) && (params == null || params.length == 0)) {
            return ClientTable.of(status.clients());
        }
        return super.invoke(action, params, signature);
    }
}
