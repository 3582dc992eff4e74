package io.tailsrv.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The features repository in a real Apache Karaf, used as an operator uses
 * it: over Karaf's SSH console. The feature is installed, upgraded and
 * uninstalled with feature: commands, with every refresh the features
 * service wants; instances are made with config: commands, an etc/ file and
 * tailsrv:add, streamed from over real sockets, inspected and changed with
 * the tailsrv: commands on ssh's exec channel and in an interactive shell;
 * each instance's MXBean is read from Karaf's MBeanServer, GET /metrics
 * once configuration io.tailsrv.metrics names an address, and the health
 * checks with hc:exec once feature tailsrv-healthcheck is installed.
 * The steps run in order in one container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafIT extends KarafTestSupport {

    private static final String WEB_PORT = "tailsrv.it.web.port";
    private static final String WEB_MOVED_PORT = "tailsrv.it.web.moved.port";
    private static final String DROP_PORT = "tailsrv.it.drop.port";
    private static final String ADDED_PORT = "tailsrv.it.added.port";
    private static final String METRICS_PORT = "tailsrv.it.metrics.port";

    private static final List<String> COMMANDS = List.of("list", "clients", "add", "remove", "start", "stop");
    private static final Predicate<String> OURS = name -> name.startsWith("io.tailsrv.");
    private static final String HEALTH_CHECKS = "io.tailsrv.metrics.internal.InstanceHealthChecks";

    /** What installing the feature added: its bundles and the Declarative Services it brought. Set by the first step. */
    private static Set<String> addedByInstall = Set.of();

    @Inject
    private FeaturesService features;

    @Override
    protected List<String> testPorts() {
        return List.of(WEB_PORT, WEB_MOVED_PORT, DROP_PORT, ADDED_PORT, METRICS_PORT);
    }

    @Test
    public void a_installOverSshLeavesEverySessionWorking() throws Exception {
        Path file = Files.writeString(Files.createTempFile("tailsrv-karaf", ".log"), "from config:\n");
        int web = port(WEB_PORT);
        try (KarafSsh ssh = ssh("feature:install", "config:edit");
                ShellSession installing = ssh.shell();
                ShellSession other = ssh.shell();
                RefreshWatch watch = new RefreshWatch(bundleContext)) {
            String added = installing.run("feature:repo-add " + featuresUrl());
            assertTrue(added, added.startsWith("Adding feature url " + featuresUrl()));

            int install = installing.type("feature:install tailsrv");
            // typed in another session while the install runs
            other.run("config:edit --factory --alias web tailsrv");
            other.run("config:property-set file " + file);
            other.run("config:property-set port " + web);
            other.run("config:update");
            assertFalse(installing.toString(), installing.awaitPrompt(install).contains("Error"));

            String list = installing.run("tailsrv:list");
            assertTrue("the installing session answers: " + list, list.startsWith("NAME ") || list.startsWith("no tailsrv instances"));
            awaitServing(web);
            assertTrue("the other session answers", row(other.run("tailsrv:list"), "web").contains(" SERVING "));

            assertEquals("bundles stopped or refreshed by the install", Set.of(), watch.stoppedOrRefreshed());
            assertEquals("bundles the features service stopped or refreshed", Set.of(), watch.reported());
            addedByInstall = watch.added();

            // scr:list returns its report: an interactive shell prints it, the exec channel would not
            awaitCommand("scr:list");
            assertComponentsUp(installing.run("scr:list"));
        }

        assertTrue(features.isInstalled(features.getFeature("tailsrv")));
        assertFalse("the example configuration is not installed unless asked for",
                features.isInstalled(features.getFeature("tailsrv-example")));
        for (Feature feature : features.listInstalledFeatures()) {
            feature.getBundles().forEach(bundle -> assertFalse("ships " + bundle.getLocation(),
                    feature.getName().startsWith("tailsrv") && bundle.getLocation().matches(".*(slf4j|jna).*")));
        }
        assertEquals("api, protocol, http, filewatch, sendfile, server, tls, relay, metrics and shell", 10,
                assertOursActive(version()));

        try (Socket client = request(web, "0")) {
            assertEquals("from config:\n", read(client, 13));
            Files.writeString(file, "appended\n", StandardOpenOption.APPEND);
            assertEquals("appended\n", read(client, 9));
        }
    }

    @Test
    public void b_anEtcFileCreatesAServingInstance() throws Exception {
        Path file = Files.writeString(Files.createTempFile("tailsrv-karaf", ".log"), "from etc\n");
        int port = port(DROP_PORT);
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path aside = Files.writeString(etc.resolve(".tailsrv-drop.tmp"), "file = " + file + "\nport = " + port + "\n");
        Files.move(aside, etc.resolve("tailsrv-drop.cfg"), StandardCopyOption.ATOMIC_MOVE);
        awaitServing(port);
        String peer;
        try (Socket client = request(port, "-4")) {
            assertEquals("etc\n", read(client, 4));
            Files.writeString(file, "more\n", StandardOpenOption.APPEND);
            assertEquals("more\n", read(client, 5));
            peer = " 127.0.0.1:" + client.getLocalPort() + " ";
        }
        // The client closed gracefully: at the next append the sendfile bundle's probe, through
        // its own copy of JNA (the file watch loads another), finds the reset that send drew.
        Files.writeString(file, "after\n", StandardOpenOption.APPEND);
        try (KarafSsh ssh = ssh("tailsrv:clients")) {
            Deadline deadline = new Deadline("the gracefully closed client released at the first append");
            while (ssh.exec("tailsrv:clients drop").out.contains(peer)) {
                Thread.sleep(Math.min(50, deadline.remainingMillis())); // nothing announces a release
            }
        }
    }

    @Test
    public void bb_everyInstanceHasAnMBeanMetricsOnRequestAndWithTailsrvHealthcheckAHealthCheck() throws Exception {
        int web = port(WEB_PORT);
        int drop = port(DROP_PORT);
        int metrics = port(METRICS_PORT);
        ObjectName dropBean = new ObjectName("io.tailsrv:type=Instance,name=drop");
        MBeanServer mbeans = awaitMBean(dropBean);
        assertTrue(mbeans.queryNames(new ObjectName("io.tailsrv:type=Instance,*"), null)
                .containsAll(Set.of(dropBean, new ObjectName("io.tailsrv:type=Instance,name=web"))));
        assertEquals("SERVING", mbeans.getAttribute(dropBean, "State"));
        assertEquals(drop, mbeans.getAttribute(dropBean, "Port"));
        assertEquals(20L, mbeans.getAttribute(dropBean, "FileSize"));
        assertEquals(0, ((TabularData) mbeans.invoke(dropBean, "clients", new Object[0], new String[0])).size());

        try (KarafSsh ssh = ssh("feature:install", "config:edit"); ShellSession shell = ssh.shell()) {
            shell.run("config:edit io.tailsrv.metrics");
            shell.run("config:property-set address 127.0.0.1:" + metrics);
            shell.run("config:update");
            String scrape = awaitScrape(metrics);
            assertTrue(scrape, scrape.lines().anyMatch(line ->
                    line.matches("tailsrv_file_size_bytes\\{file=\"[^\"]+\",instance=\"drop\"\\} 20\\.0")));
            shell.run("config:delete io.tailsrv.metrics");

            Set<String> addedByHealthcheck;
            try (RefreshWatch watch = new RefreshWatch(bundleContext)) {
                String installed = shell.run("feature:install tailsrv-healthcheck");
                assertFalse(installed, installed.contains("Error"));
                // io.tailsrv.metrics is refreshed: its optional import of the health check API is met now
                assertOnly("bundles stopped or refreshed by installing tailsrv-healthcheck", OURS,
                        watch.stoppedOrRefreshed());
                assertOnly("bundles the features service stopped or refreshed", OURS, watch.reported());
                addedByHealthcheck = watch.added();
            }
            // hc:exec returns its report: an interactive shell prints it, the exec channel would not
            awaitCommand("hc:exec");
            Deadline deadline = new Deadline("hc:exec tailsrv showing the checks of web and drop");
            String checks = shell.run("hc:exec tailsrv");
            while (!checks.contains("tailsrv web ") || !checks.contains("tailsrv drop ")) {
                Thread.sleep(Math.min(50, deadline.remainingMillis())); // the checks come with the refreshed bundle
                checks = shell.run("hc:exec tailsrv");
            }
            assertTrue(checks, checks.contains("Overall Health Result: OK"));
            assertTrue(checks, row(checks, "tailsrv drop").matches("tailsrv drop\\s+OK\\s+.*SERVING on \\*:" + drop + "\\s*"));
            assertTrue(checks, row(checks, "tailsrv web").matches("tailsrv web\\s+OK\\s+.*SERVING on \\*:" + web + "\\s*"));

            try (RefreshWatch watch = new RefreshWatch(bundleContext)) {
                String uninstalled = shell.run("feature:uninstall tailsrv-healthcheck");
                assertFalse(uninstalled, uninstalled.contains("Error"));
                Predicate<String> healthcheck = OURS.or(addedByHealthcheck::contains);
                assertOnly("bundles stopped or refreshed by uninstalling tailsrv-healthcheck", healthcheck,
                        watch.stoppedOrRefreshed());
                assertOnly("bundles the features service stopped or refreshed", healthcheck, watch.reported());
            }
        }
        awaitMBean(dropBean);
    }

    @Test
    public void c_commandsAnswerOnTheExecChannel() throws Exception {
        try (KarafSsh ssh = ssh("tailsrv:list", "config:list")) {
            commandsAnswer(Console.exec(ssh));
            // Karaf's exec channel drops what a command writes to stderr (its own commands' too);
            // redirected, an error shows
            KarafSsh.Exec unknown = ssh.exec("tailsrv:remove nosuch 2>&1");
            assertEquals(unknown.toString(), "tailsrv:remove: no instance named nosuch\n", unknown.out);
        }
    }

    @Test
    public void d_commandsAnswerInAnInteractiveShell() throws Exception {
        try (KarafSsh ssh = ssh("tailsrv:list", "config:list"); ShellSession shell = ssh.shell()) {
            commandsAnswer(Console.shell(shell));
            assertEquals("a terminal shows errors", "tailsrv:remove: no instance named nosuch\n",
                    shell.run("tailsrv:remove nosuch"));
        }
    }

    /** Every tailsrv: command, and config:list, printing what it did. */
    private void commandsAnswer(Console console) throws Exception {
        int web = port(WEB_PORT);
        int drop = port(DROP_PORT);
        int added = port(ADDED_PORT);
        try (Socket client = request(drop, "0")) {
            read(client, 9);
            String list = console.run("tailsrv:list");
            assertTrue(list, row(list, "web").matches("web\\s+\\*:" + web + "\\s+\\S+\\s+SERVING\\s+.*"));
            assertTrue(list, row(list, "drop").matches("drop\\s+\\*:" + drop + "\\s+\\S+\\s+SERVING\\s+[1-9].*"));
            String clients = console.run("tailsrv:clients drop");
            String peer = " 127.0.0.1:" + client.getLocalPort() + " ";
            assertTrue(clients, clients.lines().anyMatch(line -> line.startsWith("drop ") && line.contains(peer)));
        }

        Path file = Files.writeString(Files.createTempFile("tailsrv-karaf", ".log"), "added\n");
        assertEquals("added added: *:" + added + " serving " + file + " (configuration tailsrv~added)\n",
                console.run("tailsrv:add --name added " + added + " " + file));
        awaitServing(added);
        assertEquals("stopped added\n", console.run("tailsrv:stop added"));
        try (Services stopped = instances(added, "STOPPED")) {
            stopped.await("instance added stopped", n -> n > 0);
        }
        assertRefused(added);
        assertEquals("started added\n", console.run("tailsrv:start added"));
        awaitServing(added);
        assertEquals("removed added\n", console.run("tailsrv:remove added"));
        awaitClosed(added);

        for (String command : COMMANDS) {
            String help = console.run("tailsrv:" + command + " -h");
            assertTrue(help, help.startsWith("Usage: tailsrv:" + command + " "));
        }
        String configs = console.run("config:list \"(service.factoryPid=tailsrv)\"");
        assertTrue(configs, configs.contains("port = " + web));
        assertTrue(configs, configs.contains("port = " + drop));
    }

    @Test
    public void e2_tlsReadsPemWithTheBouncyCastleKarafHas() throws Exception {
        TlsInKaraf.assertReadsPem(bundleContext, addedByInstall);
    }

    @Test
    public void e_editingMovesThePortAndDeletingClosesIt() throws Exception {
        int web = port(WEB_PORT);
        int moved = port(WEB_MOVED_PORT);
        String pid = pidOn(web);
        try (KarafSsh ssh = ssh("config:edit"); ShellSession shell = ssh.shell()) {
            shell.run("config:edit " + pid);
            shell.run("config:property-set port " + moved);
            shell.run("config:update");
            awaitServing(moved);
            assertRefused(web);
            shell.run("config:delete " + pid);
            awaitClosed(moved);
        }
    }

    @Test
    public void f_upgradeRefreshesOnlyTailsrvBundles() throws Exception {
        int drop = port(DROP_PORT);
        String next = next(version());
        URI repository = NextVersion.write(Files.createTempDirectory("tailsrv-next"), Path.of(repository()),
                Path.of(featuresFile()), version(), next);
        try (KarafSsh ssh = ssh("feature:install", "config:list");
                ShellSession upgrading = ssh.shell();
                ShellSession other = ssh.shell();
                RefreshWatch watch = new RefreshWatch(bundleContext)) {
            upgrading.run("feature:repo-add " + repository);
            int upgrade = upgrading.type("feature:install --upgrade tailsrv/" + next);
            assertTrue("the other session answers during the upgrade",
                    other.run("config:list \"(service.factoryPid=tailsrv)\"").contains("port = " + drop));
            assertFalse(upgrading.toString(), upgrading.awaitPrompt(upgrade).contains("Error"));

            String installed = upgrading.run("feature:list -i");
            assertTrue(installed, installed.lines().anyMatch(line -> line.matches("tailsrv\\s+[|│]\\s+" + next + "\\s+[|│].*")));
            assertOnly("bundles stopped or refreshed by the upgrade", OURS, watch.stoppedOrRefreshed());
            assertOnly("bundles the features service stopped or refreshed", OURS, watch.reported());
            assertEquals("the upgrade refreshed tailsrv's bundles, all 10", 10, watch.stoppedOrRefreshed().size());
            assertEquals("the features service reported them", watch.stoppedOrRefreshed(), watch.reported());
        }
        assertEquals(10, assertOursActive(next));
        awaitServing(drop);
        try (KarafSsh ssh = ssh("tailsrv:list"); Socket client = request(drop, "0")) {
            assertEquals("from etc\nmore\nafter\n", read(client, 20));
            assertTrue(row(Console.exec(ssh).run("tailsrv:list"), "drop").contains(" SERVING "));
        }
    }

    @Test
    public void g_uninstallingTheFeatureClosesEveryPort() throws Exception {
        int drop = port(DROP_PORT);
        try (KarafSsh ssh = ssh("feature:uninstall");
                Socket client = request(drop, "0");
                RefreshWatch watch = new RefreshWatch(bundleContext)) {
            assertEquals("from etc\nmore\nafter\n", read(client, 20));
            String installed = Console.exec(ssh).run("feature:uninstall tailsrv; feature:list -i");
            assertTrue("the same session answers: " + installed, installed.contains("Karaf Shell"));
            assertFalse(installed, installed.contains("tailsrv"));
            assertRefused(drop);
            assertTrue("its client is closed", closedByServer(client));
            Predicate<String> addedByTailsrv = OURS.or(addedByInstall::contains);
            assertOnly("bundles stopped or refreshed by the uninstall", addedByTailsrv, watch.stoppedOrRefreshed());
            assertOnly("bundles the features service stopped or refreshed", addedByTailsrv, watch.reported());
        }
    }

    @Test
    public void h_bundleLogsReachKarafsLog() throws Exception {
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String text = Files.readString(log);
        assertTrue("the server's start line is in karaf.log",
                text.contains("[drop] listening on *:" + port(DROP_PORT)));
        assertTrue("a client's line is in karaf.log", text.contains("[drop] 127.0.0.1:"));
    }

    // ---- helpers ----

    /**
     * Karaf's MBeanServer, once the JMX whiteboard has registered {@code name}
     * there: it announces nothing, so this one wait polls, to a deadline.
     */
    private MBeanServer awaitMBean(ObjectName name) throws InterruptedException {
        ServiceReference<MBeanServer> reference = bundleContext.getServiceReference(MBeanServer.class);
        assertNotNull("Karaf registers its MBeanServer as a service", reference);
        MBeanServer mbeans = bundleContext.getService(reference);
        Deadline deadline = new Deadline("MBean " + name);
        while (!mbeans.isRegistered(name)) {
            Thread.sleep(Math.min(20, deadline.remainingMillis()));
        }
        return mbeans;
    }

    /**
     * GET /metrics on {@code port}, once the endpoint a configuration just
     * asked for listens: Config Admin and DS apply it on their own threads,
     * and say nothing a test can wait on, so this wait polls, to a deadline.
     */
    private static String awaitScrape(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        Deadline deadline = new Deadline("GET /metrics on port " + port);
        while (true) {
            try {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                assertEquals(response.body(), 200, response.statusCode());
                return response.body();
            } catch (ConnectException notYet) {
                Thread.sleep(Math.min(50, deadline.remainingMillis()));
            }
        }
    }

    /** Checks every io.tailsrv bundle is active at {@code version}; returns how many there are. */
    private int assertOursActive(String version) {
        String osgiVersion = version.replace('-', '.');
        int ours = 0;
        for (Bundle bundle : bundleContext.getBundles()) {
            if (OURS.test(bundle.getSymbolicName())) {
                ours++;
                assertEquals(bundle.getSymbolicName() + " is active", Bundle.ACTIVE, bundle.getState());
                assertEquals(bundle.getSymbolicName(), osgiVersion, bundle.getVersion().toString());
            }
        }
        return ours;
    }

    /**
     * Checks, in what scr:list printed, that every component of this
     * project's bundles is active or satisfied, and that each bundle that
     * has components has some.
     */
    private static void assertComponentsUp(String report) {
        Set<String> bundles = new TreeSet<>();
        String component = null;
        for (String line : report.lines().toList()) {
            if (!line.startsWith(" ")) {
                component = line.startsWith("io.tailsrv.") ? line : null;
                if (component != null) {
                    bundles.add(component.replaceAll(".* \\((io\\.tailsrv\\.[a-z]+):.*", "$1"));
                }
            } else if (component != null) {
                // the health checks wait for Felix Health Checks' executor: feature tailsrv-healthcheck
                String up = component.startsWith(HEALTH_CHECKS + " ") ? "UNSATISFIED REFERENCE" : "ACTIVE|SATISFIED";
                assertTrue(component + ": " + line, line.matches("\\s+Id: \\d+, State:(" + up + ")\\b.*"));
            }
        }
        assertEquals(report, Set.of("io.tailsrv.filewatch", "io.tailsrv.http", "io.tailsrv.protocol",
                "io.tailsrv.sendfile", "io.tailsrv.server", "io.tailsrv.shell", "io.tailsrv.tls", "io.tailsrv.relay",
                "io.tailsrv.metrics"), bundles);
    }

    private static void assertOnly(String what, Predicate<String> allowed, Set<String> names) {
        assertTrue(what + ": " + names, names.stream().allMatch(allowed));
    }

    /** The line of a command's table that starts with {@code first}; fails if there is none. */
    private static String row(String table, String first) {
        return table.lines().filter(line -> line.startsWith(first + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + table));
    }

    /** The next patch release: 1.0.0-SNAPSHOT, or 1.0.0, is followed by 1.0.1. */
    private static String next(String version) {
        String[] parts = version.replace("-SNAPSHOT", "").split("\\.");
        return parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + 1);
    }
}
