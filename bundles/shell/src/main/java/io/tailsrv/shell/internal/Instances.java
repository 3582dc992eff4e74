package io.tailsrv.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.tailsrv.api.InstanceStatus;

/**
 * The instances as they are registered at the moment of a command: looked up
 * on each call rather than tracked, since a command runs rarely and must
 * see the current state.
 */
final class Instances {

    private Instances() {
    }

    /** Every instance, by name. */
    static List<ServiceReference<InstanceStatus>> all(BundleContext context) {
        Collection<ServiceReference<InstanceStatus>> found;
        try {
            found = context.getServiceReferences(InstanceStatus.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("a null filter is always valid", e);
        }
        List<ServiceReference<InstanceStatus>> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(Instances::name));
        return sorted;
    }

    /** The instance called {@code name}, compared as text so that no name needs escaping into a filter. */
    static Optional<ServiceReference<InstanceStatus>> named(BundleContext context, String name) {
        return all(context).stream().filter(reference -> name.equals(name(reference))).findFirst();
    }

    static String name(ServiceReference<InstanceStatus> reference) {
        return String.valueOf(reference.getProperty(InstanceStatus.NAME));
    }

    /** Applies {@code read} to the instance; empty if it went away meanwhile. */
    static <R> Optional<R> read(BundleContext context, ServiceReference<InstanceStatus> reference,
            Function<InstanceStatus, R> read) {
        InstanceStatus status = context.getService(reference);
        if (status == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(read.apply(status));
        } finally {
            context.ungetService(reference);
        }
    }
}
