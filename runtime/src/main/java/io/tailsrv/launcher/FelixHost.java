package io.tailsrv.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.condition.Condition;

import io.tailsrv.api.Readiness;

/**
 * The embedded Felix framework: every jar in the distribution's bundle/
 * directory, installed in place (no copy into the cache) and started.
 */
final class FelixHost {

    /**
     * The launcher owns logging: bundles import SLF4J from the framework, so
     * every bundle logs through the one backend the launcher chose.
     */
    private static final String SLF4J_PACKAGES = String.join(",",
            "org.slf4j;version=" + org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion(),
            "org.slf4j.event;version=" + org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion(),
            "org.slf4j.spi;version=" + org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion(),
            "org.slf4j.helpers;version=" + org.slf4j.LoggerFactory.class.getPackage().getImplementationVersion(),
            // Exported at 1.7 too, for the bundles that import [1.7,2) (Aries JMX Whiteboard, Felix Health
            // Checks): what they call of SLF4J 1.7, SLF4J 2 has kept, binary-compatible.
            "org.slf4j;version=1.7.36",
            "org.slf4j.helpers;version=1.7.36");

    /**
     * The JDK's HTTP server (module jdk.httpserver), which io.tailsrv.metrics
     * serves GET /metrics with: the framework exports only the packages it is
     * told of, and the java.* ones.
     */
    private static final String JDK_PACKAGES = "com.sun.net.httpserver";

    private final Framework framework;
    private final FrameworkCache cache;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private FelixHost(Framework framework, FrameworkCache cache) {
        this.framework = framework;
        this.cache = cache;
    }

    /** Starts a framework with {@code bundles} and the framework {@code properties}. */
    static FelixHost start(List<Path> bundles, Map<String, String> properties) throws IOException, BundleException {
        FrameworkCache cache = FrameworkCache.create(FrameworkCache.base());
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.storage().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SLF4J_PACKAGES + "," + jnaPackages() + "," + JDK_PACKAGES);
        config.put("felix.log.level", "1");
        config.putAll(properties);
        Framework framework = new FrameworkFactory().newFramework(config);
        FelixHost host = new FelixHost(framework, cache);
        try {
            framework.init();
            framework.start();
            host.install(bundles);
        } catch (BundleException | RuntimeException e) {
            host.stop();
            throw e;
        }
        return host;
    }

    /** Installs {@code bundles} in place (no copy into the cache) and starts them. */
    void install(List<Path> bundles) throws BundleException {
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : bundles) {
            installed.add(context.installBundle("reference:" + jar.toUri()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Says that start-up is complete: every instance of this run listens (or
     * has failed, or is stopped). An OSGi condition, {@link Readiness#CONDITION_ID};
     * the systemd bundle then tells systemd READY=1.
     */
    void announceReady() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Condition.CONDITION_ID, Readiness.CONDITION_ID);
        context().registerService(Condition.class, Condition.INSTANCE, properties);
    }

    /** Waits until the framework stops (a console's exit, say, or a signal). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework when the JVM is asked to exit (SIGTERM, Ctrl-C). */
    void stopAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "tailsrv-shutdown"));
    }

    /**
     * Stops every bundle (closing every port and client) and removes the
     * framework's cache. Once: later calls return at once.
     */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException e) {
            System.err.println("tailsrv: stopping the framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
    }

    /**
     * JNA's packages, as its jar's manifest exports them. JNA is on the
     * launcher's class path, not a bundle: the launcher's journald output uses
     * it, and its native library can be loaded by one class loader only.
     */
    private static String jnaPackages() throws IOException {
        try (JarFile jna = new JarFile(Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toFile())) {
            return jna.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        } catch (URISyntaxException e) {
            throw new IOException("cannot find JNA's jar", e);
        }
    }

    /** The jars in {@code dir}, in name order. */
    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
