package io.tailsrv.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus;

/**
 * {@code --config-dir DIR}: every {@code tailsrv-NAME.cfg} in DIR is one
 * instance, through Felix FileInstall and Config Admin; files added, edited
 * or removed while it runs start, change or stop their instance. With
 * {@code --console}, the Gogo shell runs on the terminal (or on piped
 * stdin) once every instance has started.
 */
final class HostMode {

    /** The configuration files of the directory: {@code tailsrv-NAME.cfg}, FileInstall's name for a factory configuration. */
    private static final String CONFIG_FILES = InstanceConfig.FACTORY_PID + "-.*\\.cfg";
    /** FileInstall looks at the directory this often; a change applies within about twice that. */
    static final String POLL_MILLIS = "250";
    /** How long start-up waits for every configuration file's instance before going on regardless. */
    private static final long READY_TIMEOUT_MILLIS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(HostMode.class);

    private final Path home;
    private final Path configDir;
    private final boolean console;
    private final Monitoring monitoring;

    HostMode(Path home, Path configDir, boolean console, Monitoring monitoring) {
        this.home = home;
        this.configDir = configDir;
        this.console = console;
        this.monitoring = monitoring;
    }

    int run() throws Exception {
        List<Path> bundles = new ArrayList<>(FelixHost.jars(home.resolve("bundle")));
        // any configuration, now or later, may ask for TLS or an upstream
        bundles.addAll(FelixHost.jars(home.resolve("bundle/tls")));
        bundles.addAll(FelixHost.jars(home.resolve("bundle/relay")));
        bundles.addAll(monitoring.bundles(home, console));
        // FileInstall last: the first configuration it reads finds every service an instance may use,
        // rather than failing for want of one and starting again when it comes.
        bundles.addAll(FelixHost.jars(home.resolve("bundle/host")));
        List<Path> shell = new ArrayList<>();
        if (console) {
            for (Path jar : FelixHost.jars(home.resolve("bundle/console"))) {
                (isInteractiveShell(jar) ? shell : bundles).add(jar);
            }
        }
        FelixHost host = FelixHost.start(bundles, properties());
        host.stopAtExit();
        try (monitoring) {
            awaitInstances(host);
            host.announceReady();
            monitoring.start(host); // after: the instances serve, and are ready, without waiting for it
            if (console && System.console() == null) {
                // Commands piped in: JLine would warn that it cannot make a terminal of that.
                System.setProperty("org.jline.terminal.dumb", "true");
            }
            // The shell comes last, so that the first command already sees every instance.
            host.install(shell);
            host.awaitStop();
            return 0;
        } finally {
            host.stop();
        }
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("felix.fileinstall.dir", configDir.toString());
        properties.put("felix.fileinstall.filter", CONFIG_FILES);
        properties.put("felix.fileinstall.poll", POLL_MILLIS);
        properties.put("felix.fileinstall.noInitialDelay", "true");
        // The files are the one source of truth: FileInstall reads them and never writes them.
        // (Its write-back rewrites a file in place, racing its own next read of it; the
        // console's commands edit the files themselves, atomically, instead.)
        properties.put("felix.fileinstall.enableConfigSave", "false");
        // Where tailsrv:add writes new configuration files.
        properties.put("tailsrv.config.dir", configDir.toString());
        properties.put("gosh.home", home.toString());
        properties.putAll(monitoring.properties());
        return properties;
    }

    /** The shell that reads the terminal; the rest of the console's bundles start with the others. */
    private static boolean isInteractiveShell(Path jar) {
        String name = jar.getFileName().toString();
        return name.startsWith("org.apache.felix.gogo.jline") || name.startsWith("jline");
    }

    /**
     * Waits until every configuration file in the directory has its instance
     * (listening, waiting for its file, stopped or failed), so that start-up
     * means "serving".
     */
    private void awaitInstances(FelixHost host) throws IOException, InvalidSyntaxException, InterruptedException {
        long expected = configFiles();
        try (InstanceEvents events = new InstanceEvents(host.context())) {
            long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
            long started;
            while ((started = instances(host)) < expected) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    LOG.warn("{} of {} instances started within {} s; going on", started, expected,
                            READY_TIMEOUT_MILLIS / 1000);
                    return;
                }
                events.next(left);
            }
            LOG.info("serving {} instance{} from {}", started, started == 1 ? "" : "s", configDir);
        }
    }

    private long configFiles() throws IOException {
        try (Stream<Path> files = Files.list(configDir)) {
            return files.filter(p -> p.getFileName().toString().matches(CONFIG_FILES)).count();
        }
    }

    private static long instances(FelixHost host) throws InvalidSyntaxException {
        ServiceReference<?>[] references = host.context().getServiceReferences(
                InstanceStatus.SERVICE_NAME, null);
        return references == null ? 0 : references.length;
    }
}
