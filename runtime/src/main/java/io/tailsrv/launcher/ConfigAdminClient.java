package io.tailsrv.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Creates configurations through the framework's Configuration Admin.
 *
 * <p>The launcher sits outside the framework: the {@code org.osgi.service.cm}
 * classes it could compile against are not the ones the Config Admin bundle
 * uses. So it calls the service through the bundle's own interface classes,
 * by reflection, rather than exporting that package from the launcher.
 */
final class ConfigAdminClient {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";

    private final Object admin;
    private final Method getFactoryConfiguration;
    private final Method update;

    private ConfigAdminClient(Object admin, Method getFactoryConfiguration, Method update) {
        this.admin = admin;
        this.getFactoryConfiguration = getFactoryConfiguration;
        this.update = update;
    }

    static ConfigAdminClient connect(BundleContext context, long timeoutMillis) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, CONFIGURATION_ADMIN, null);
        tracker.open();
        Object admin = tracker.waitForService(TimeUnit.MILLISECONDS.toMillis(timeoutMillis));
        ServiceReference<Object> reference = tracker.getServiceReference();
        if (admin == null || reference == null) {
            throw new IllegalStateException("Configuration Admin did not start");
        }
        Class<?> adminType = reference.getBundle().loadClass(CONFIGURATION_ADMIN);
        Class<?> configurationType = reference.getBundle().loadClass(CONFIGURATION);
        return new ConfigAdminClient(admin,
                adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class),
                configurationType.getMethod("update", Dictionary.class));
    }

    /**
     * Creates or replaces the factory configuration {@code factoryPid~name},
     * visible to every bundle (location "?").
     */
    void put(String factoryPid, String name, Dictionary<String, Object> properties) throws Exception {
        try {
            Object configuration = getFactoryConfiguration.invoke(admin, factoryPid, name, "?");
            update.invoke(configuration, properties);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
