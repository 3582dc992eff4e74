package io.tailsrv.shell.internal;

import java.io.IOException;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tailsrv.api.InstanceStatus;

/** Finds the configuration behind an instance, for the commands that change one. */
final class Configurations {

    private Configurations() {
    }

    /**
     * The configuration of the instance called {@code name}, found through the
     * PID the instance publishes: its name may come from a file name, not
     * from its PID.
     */
    static Optional<Configuration> ofInstance(BundleContext context, ConfigurationAdmin admin, String name)
            throws IOException {
        Optional<ServiceReference<InstanceStatus>> instance = Instances.named(context, name);
        if (instance.isEmpty()) {
            return Optional.empty();
        }
        Object pid = instance.get().getProperty(InstanceStatus.CONFIG_PID);
        return pid == null ? Optional.empty() : withPid(admin, pid.toString());
    }

    static Optional<Configuration> withPid(ConfigurationAdmin admin, String pid) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("an escaped value always makes a valid filter", e);
        }
        return found == null ? Optional.empty() : Optional.of(found[0]);
    }

    /** Escapes the characters an LDAP filter value gives a meaning to. */
    static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
