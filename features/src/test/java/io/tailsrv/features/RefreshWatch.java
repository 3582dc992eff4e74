package io.tailsrv.features;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * What a feature install, upgrade or uninstall did to the bundles that were
 * there before it, in two accounts: the framework's (a bundle that is
 * refreshed or stopped is unresolved or stopped: a bundle event says so as
 * it happens), and the features service's own report, which it writes to
 * karaf.log ("Stopping bundles:", "Refreshing bundles:", one bundle a line,
 * as {@code feature:install --verbose} prints it).
 */
final class RefreshWatch implements SynchronousBundleListener, AutoCloseable {

    private static final Set<String> REPORT_SECTIONS = Set.of("Stopping bundles:", "Refreshing bundles:");

    private final BundleContext context;
    private final Set<Long> before = new HashSet<>();
    private final Set<String> touched = new ConcurrentSkipListSet<>();
    private final Path log;
    private final long logStart;

    RefreshWatch(BundleContext context) throws IOException {
        this.context = context;
        this.log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        this.logStart = Files.size(log);
        context.addBundleListener(this);
        for (Bundle bundle : context.getBundles()) {
            before.add(bundle.getBundleId());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        boolean refreshedOrStopped = event.getType() == BundleEvent.UNRESOLVED || event.getType() == BundleEvent.STOPPED;
        if (refreshedOrStopped && before.contains(event.getBundle().getBundleId())) {
            touched.add(event.getBundle().getSymbolicName());
        }
    }

    /** The symbolic names of the bundles present before that were stopped or unresolved since. */
    Set<String> stoppedOrRefreshed() {
        return new TreeSet<>(touched);
    }

    /** The symbolic names the features service listed as stopping or refreshing since. */
    Set<String> reported() throws IOException {
        Set<String> names = new TreeSet<>();
        boolean inSection = false;
        for (String line : logSince()) {
            String message = message(line);
            if (message == null) {
                continue;
            }
            String entry = message.strip();
            if (REPORT_SECTIONS.contains(entry)) {
                inSection = true;
            } else if (inSection && entry.matches("\\S+/\\S+.*")) {
                names.add(entry.substring(0, entry.indexOf('/')));
            } else {
                inSection = false;
            }
        }
        return names;
    }

    /** The bundles there now that were not when the watch started. */
    Set<String> added() {
        Set<String> names = new TreeSet<>();
        for (Bundle bundle : context.getBundles()) {
            if (!before.contains(bundle.getBundleId())) {
                names.add(bundle.getSymbolicName());
            }
        }
        return names;
    }

    private List<String> logSince() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - logStart)];
            file.seek(logStart);
            file.readFully(bytes);
            return new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
        }
    }

    /**
     * The message of a features service line of karaf.log, whose fields
     * (time, level, thread, logger, bundle, message) are separated by " | ".
     */
    private static String message(String line) {
        String[] fields = line.split(" \\| ", 6);
        return fields.length == 6 && fields[3].strip().equals("FeaturesServiceImpl") ? fields[5] : null;
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
    }
}
