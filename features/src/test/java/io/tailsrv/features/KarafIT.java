package io.tailsrv.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.security.auth.Subject;

import java.security.PrivilegedExceptionAction;

import org.apache.karaf.features.Feature;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

/**
 * The features repository in a real Apache Karaf: installed with
 * feature:install, configured with Karaf's config: commands and with an
 * etc/ file, streamed from over real sockets, inspected with the tailsrv:
 * commands in Karaf's shell, edited, deleted and uninstalled. The steps run
 * in order in one container.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafIT {

    private static final long WAIT_MILLIS = 30_000;

    /** Ports and files chosen once, in the test JVM, and passed to the container as properties. */
    private static final String WEB_PORT = "tailsrv.it.web.port";
    private static final String WEB_MOVED_PORT = "tailsrv.it.web.moved.port";
    private static final String DROP_PORT = "tailsrv.it.drop.port";

    @Inject
    private FeaturesService features;

    @Inject
    private SessionFactory sessions;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        String repository = new File(System.getProperty("tailsrv.repository")).toURI().toString();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                            .version(System.getProperty("karaf.version")).type("tar.gz"))
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // This project's artifacts come from the repository the build made, not from ~/.m2
            // (a fresh clone has not installed them); everything else from Maven Central only.
            editConfigurationFileExtend("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.defaultRepositories", repository + "@id=tailsrv@snapshots"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central"),
            // Karaf's own ports, free ones, so that the test does not collide with anything.
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
            editConfigurationFilePut("etc/system.properties", "tailsrv.it.features",
                    new File(System.getProperty("tailsrv.features")).toURI().toString()),
            editConfigurationFilePut("etc/system.properties", WEB_PORT, freePort()),
            editConfigurationFilePut("etc/system.properties", WEB_MOVED_PORT, freePort()),
            editConfigurationFilePut("etc/system.properties", DROP_PORT, freePort()),
        };
    }

    @Test
    public void a_featureInstallStartsEveryBundleAndComponent() throws Exception {
        features.addRepository(java.net.URI.create(System.getProperty("tailsrv.it.features")));
        // No refresh: it would restart this test's own probe bundle mid-test.
        features.installFeature("tailsrv", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));

        assertTrue(features.isInstalled(features.getFeature("tailsrv")));
        assertFalse("the example configuration is not installed unless asked for",
                features.isInstalled(features.getFeature("tailsrv-example")));
        for (Feature feature : features.listInstalledFeatures()) {
            feature.getBundles().forEach(bundle -> assertFalse("ships " + bundle.getLocation(),
                    feature.getName().startsWith("tailsrv") && bundle.getLocation().contains("slf4j")));
        }
        int ours = 0;
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().startsWith("io.tailsrv.")) {
                ours++;
                assertEquals(bundle.getSymbolicName() + " is active", Bundle.ACTIVE, bundle.getState());
            }
        }
        assertEquals("api, protocol, filewatch, sendfile, server and shell", 6, ours);

        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.tailsrv.")) {
                continue;
            }
            for (ComponentConfigurationDTO component : scr.getComponentConfigurationDTOs(description)) {
                assertTrue(description.name + " is " + component.state,
                        component.state == ComponentConfigurationDTO.ACTIVE
                                || component.state == ComponentConfigurationDTO.SATISFIED);
            }
        }
    }

    @Test
    public void b_configCommandsCreateAServingInstance() throws Exception {
        Path file = Files.writeString(Files.createTempFile("tailsrv-karaf", ".log"), "from config:\n");
        int port = Integer.getInteger(WEB_PORT);
        shell("config:edit --factory --alias web tailsrv",
                "config:property-set file " + file,
                "config:property-set port " + port,
                "config:update");
        awaitServing(port);
        try (Socket client = request(port, "0")) {
            assertEquals("from config:\n", read(client, 13));
            Files.writeString(file, "appended\n", StandardOpenOption.APPEND);
            assertEquals("appended\n", read(client, 9));
        }
    }

    @Test
    public void c_anEtcFileCreatesAServingInstance() throws Exception {
        Path file = Files.writeString(Files.createTempFile("tailsrv-karaf", ".log"), "from etc\n");
        int port = Integer.getInteger(DROP_PORT);
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path aside = Files.writeString(etc.resolve(".tailsrv-drop.tmp"), "file = " + file + "\nport = " + port + "\n");
        Files.move(aside, etc.resolve("tailsrv-drop.cfg"), StandardCopyOption.ATOMIC_MOVE);
        awaitServing(port);
        try (Socket client = request(port, "-4")) {
            assertEquals("etc\n", read(client, 4));
            Files.writeString(file, "more\n", StandardOpenOption.APPEND);
            assertEquals("more\n", read(client, 5));
        }
    }

    @Test
    public void d_consoleCommandsShowInstancesAndClients() throws Exception {
        int web = Integer.getInteger(WEB_PORT);
        int drop = Integer.getInteger(DROP_PORT);
        String list = shell("tailsrv:list");
        assertTrue(list, list.matches("(?s).*\\bweb\\s+\\*:" + web + "\\s+\\S+\\s+SERVING\\b.*"));
        assertTrue(list, list.matches("(?s).*\\bdrop\\s+\\*:" + drop + "\\s+\\S+\\s+SERVING\\b.*"));
        try (Socket client = request(drop, "0")) {
            read(client, 9);
            String clients = shell("tailsrv:clients drop");
            assertTrue(clients, clients.contains("127.0.0.1:" + client.getLocalPort()));
        }
    }

    @Test
    public void e_editingMovesThePortAndDeletingClosesIt() throws Exception {
        int web = Integer.getInteger(WEB_PORT);
        int moved = Integer.getInteger(WEB_MOVED_PORT);
        String pid = pidServing(web);
        shell("config:edit " + pid,
                "config:property-set port " + moved,
                "config:update");
        awaitServing(moved);
        assertRefused(web);
        shell("config:delete " + pid);
        awaitClosed(moved);
    }

    @Test
    public void f_uninstallingTheFeatureClosesEveryPort() throws Exception {
        int drop = Integer.getInteger(DROP_PORT);
        try (Socket client = request(drop, "0")) {
            assertEquals("from etc\nmore\n", read(client, 14));
            features.uninstallFeature("tailsrv", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            assertRefused(drop);
            assertTrue("its client is closed", closedByServer(client));
        }
    }

    @Test
    public void g_bundleLogsReachKarafsLog() throws Exception {
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String text = Files.readString(log);
        assertTrue("the server's start line is in karaf.log",
                text.contains("[drop] listening on *:" + Integer.getInteger(DROP_PORT)));
        assertTrue("a client's line is in karaf.log", text.contains("[drop] 127.0.0.1:"));
    }

    // ---- helpers ----

    /** Runs {@code commands} in one shell session (config:edit's state lasts a session). */
    private String shell(String... commands) throws Exception {
        for (String command : commands) {
            awaitCommand(command.split(" ")[0]);
        }
        String script = String.join("\n", commands);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(InputStream.nullInputStream(), out, out);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // As an administrator: Karaf's command ACLs reserve config:edit and the like for that role.
            Subject admin = new Subject();
            admin.getPrincipals().add(new UserPrincipal("karaf"));
            admin.getPrincipals().add(new RolePrincipal("admin"));
            admin.getPrincipals().add(new RolePrincipal("manager"));
            admin.getPrincipals().add(new RolePrincipal("viewer"));
            Future<Object> result = executor.submit(() -> Subject.doAs(admin,
                    (PrivilegedExceptionAction<Object>) () -> session.execute(script)));
            result.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            executor.shutdownNow();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits for Karaf to register a shell command: its boot features start
     * asynchronously, possibly after this test's first step, and the shell
     * registry announces no event to wait for.
     */
    private void awaitCommand(String command) throws InterruptedException {
        String[] scopeAndName = command.split(":");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (sessions.getRegistry().getCommand(scopeAndName[0], scopeAndName[1]) == null) {
            if (System.currentTimeMillis() > deadline) {
                fail("Karaf has no command " + command);
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the instance on {@code port} to serve, by its status service. */
    private void awaitServing(int port) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(
                "(&(objectClass=io.tailsrv.api.InstanceStatus)(tailsrv.port=" + port + ")(tailsrv.state=SERVING))"), null);
        tracker.open();
        try {
            assertNotNull("nothing serves port " + port, tracker.waitForService(WAIT_MILLIS));
        } finally {
            tracker.close();
        }
    }

    /** Waits until no instance is on {@code port} any more; it stops before its status goes. */
    private void awaitClosed(int port) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        String filter = "(&(objectClass=io.tailsrv.api.InstanceStatus)(tailsrv.port=" + port + "))";
        while (context.getServiceReferences((String) null, filter) != null) {
            if (System.currentTimeMillis() > deadline) {
                fail("an instance still has port " + port);
            }
            Thread.onSpinWait();
        }
        assertRefused(port);
    }

    private String pidServing(int port) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(objectClass=io.tailsrv.api.InstanceStatus)(tailsrv.port=" + port + "))");
        assertNotNull("no instance on " + port, refs);
        return (String) refs[0].getProperty("tailsrv.config.pid");
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        assertNotNull("no " + type.getName(), reference);
        return context.getService(reference);
    }

    private static Socket request(int port, String header) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write((header + "\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static String read(Socket socket, int n) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(n);
        assertEquals("bytes received", n, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void assertRefused(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            fail("port " + port + " still accepts connections");
        } catch (ConnectException expected) {
            // closed
        }
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }
}
