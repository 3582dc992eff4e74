package io.tailsrv.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tailsrv.api.InstanceConfig;

/**
 * The specification's program: one file on one port. It is one factory
 * configuration in the framework, like any other; what is particular to the
 * command line is when it exits: when the instance fails to start (status 1)
 * and when its file is gone (status 0).
 */
final class SingleFile {

    private static final Logger LOG = LoggerFactory.getLogger(SingleFile.class);
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final Path home;
    private final Path file;
    private final Hashtable<String, Object> properties;
    private final Monitoring monitoring;

    /** @param properties the instance's configuration, from the command line */
    SingleFile(Path home, Path file, Hashtable<String, Object> properties, Monitoring monitoring) {
        this.home = home;
        this.file = file;
        this.properties = properties;
        this.monitoring = monitoring;
    }

    int run() throws Exception {
        List<Path> bundles = new ArrayList<>(FelixHost.jars(home.resolve("bundle")));
        // only what this one instance uses: BouncyCastle alone costs about a tenth of a second of the start
        if (properties.keySet().stream().anyMatch(key -> key.equals(InstanceConfig.TLS) || key.startsWith("tls.")
                || key.startsWith("upstream.tls."))) {
            bundles.addAll(FelixHost.jars(home.resolve("bundle/tls")));
        }
        if (properties.containsKey(InstanceConfig.UPSTREAM)) {
            bundles.addAll(FelixHost.jars(home.resolve("bundle/relay")));
        }
        bundles.addAll(monitoring.bundles(home, false));
        FelixHost host = FelixHost.start(bundles, monitoring.properties());
        host.stopAtExit();
        try (monitoring; InstanceEvents events = new InstanceEvents(host.context())) {
            ConfigAdminClient.connect(host.context(), START_TIMEOUT_MILLIS).put(InstanceConfig.FACTORY_PID, name(), properties);
            return awaitExit(events, host);
        } finally {
            host.stop();
        }
    }

    /** Follows the instance: ready once it listens, done when it fails or its file goes. */
    private int awaitExit(InstanceEvents events, FelixHost host) throws InterruptedException {
        boolean started = false;
        boolean served = false;
        while (true) {
            InstanceEvents.Change change = started ? events.next() : events.next(START_TIMEOUT_MILLIS);
            if (change == null) {
                LOG.error("the server did not start within {} s", START_TIMEOUT_MILLIS / 1000);
                return 1;
            }
            if (change.unregistered()) {
                continue;
            }
            if (!started && (change.state().equals("SERVING") || change.state().equals("WAITING"))) {
                host.announceReady(); // listening, with its file or waiting for it
                monitoring.start(host); // after: the instance serves, and is ready, without waiting for it
            }
            started = true;
            switch (change.state()) {
                case "FAILED":
                    return 1; // the instance has logged why, naming the property
                case "SERVING":
                    served = true;
                    break;
                case "WAITING":
                    if (served) {
                        LOG.atInfo().addKeyValue("TAILSRV_FILE", file).log("{} is gone; exiting", file);
                        return 0;
                    }
                    break;
                default:
                    break;
            }
        }
    }

    private String name() {
        return file.getFileName() == null ? "tailsrv" : file.getFileName().toString();
    }
}
