package io.tailsrv.runtime;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.util.tracker.ServiceTracker;

import io.tailsrv.api.InstanceStatus;
import io.tailsrv.api.InstanceStatus.State;

/** What the Pax Exam tests share: the distribution's bundles, and waiting on instances' status services. */
final class InFramework {

    private InFramework() {
    }

    /**
     * The framework as bin/tailsrv builds it: the distribution's bundle/
     * directory, plus the jars of {@code bundle/console} that {@code console}
     * accepts by file name; SLF4J and JNA from the class path.
     */
    static Option[] distribution(Predicate<String> console) throws IOException {
        Path home = Path.of(System.getProperty("tailsrv.home"));
        List<Option> options = new ArrayList<>();
        addJars(options, home.resolve("bundle"), name -> true);
        addJars(options, home.resolve("bundle").resolve("console"), console);
        options.add(LauncherPackages.option());
        options.add(systemProperty("tailsrv.home").value(home.toString()));
        options.add(junitBundles());
        return options(options.toArray(new Option[0]));
    }

    private static void addJars(List<Option> options, Path dir, Predicate<String> wanted) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.endsWith(".jar") && wanted.test(name))
                    .sorted()
                    .forEach(name -> options.add(bundle(dir.resolve(name).toUri().toString())));
        }
    }

    /** Waits for the instance's status service to show {@code state}; returns its reason ("" if none). */
    static String awaitState(BundleContext context, String name, State state)
            throws InvalidSyntaxException, InterruptedException {
        return await(context, "(&" + instance(name) + property(InstanceStatus.STATE, state) + ")");
    }

    /** The same, on {@code port}: the instance a configuration change restarted. */
    static String awaitState(BundleContext context, String name, State state, int port)
            throws InvalidSyntaxException, InterruptedException {
        return await(context,
                "(&" + instance(name) + property(InstanceStatus.STATE, state) + property(InstanceStatus.PORT, port) + ")");
    }

    /** Counts down when the named instance's status service goes: the instance has stopped by then. */
    static CountDownLatch unregistration(BundleContext context, String name) throws InvalidSyntaxException {
        CountDownLatch latch = new CountDownLatch(1);
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                latch.countDown();
            }
        }, instance(name));
        return latch;
    }

    static void assertRefused(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            fail("port " + port + " still accepts connections");
        } catch (ConnectException expected) {
            // closed, as it should be
        }
    }

    private static String instance(String name) {
        return "(&(objectClass=" + InstanceStatus.SERVICE_NAME + ")" + property(InstanceStatus.NAME, name) + ")";
    }

    /** A filter's {@code (name=value)}. */
    private static String property(String name, Object value) {
        return "(" + name + "=" + value + ")";
    }

    private static String await(BundleContext context, String filter) throws InvalidSyntaxException, InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        try {
            assertNotNull("no service matching " + filter, tracker.waitForService(TestSupport.WAIT.toMillis()));
            Object reason = tracker.getServiceReference().getProperty(InstanceStatus.REASON);
            return reason == null ? "" : reason.toString();
        } finally {
            tracker.close();
        }
    }
}
