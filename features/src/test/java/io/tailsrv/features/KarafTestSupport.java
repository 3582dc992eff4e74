package io.tailsrv.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.server.SshServer;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.tailsrv.api.InstanceStatus;

/**
 * What every Karaf test shares, after Karaf's own examples
 * (karaf-itest-example's KarafTestSupport): the container (a real Karaf
 * 4.4.10 from its tar.gz, pointed at the repository this build made), free
 * ports for it and for the test, an operator's login, an SSH client, and
 * waits that end on an event or at a deadline.
 *
 * <p>The configuration runs in the test's JVM and the tests in Karaf's:
 * values chosen in one reach the other as system properties.
 */
public abstract class KarafTestSupport {

    /** The operator's login; the password is made up anew for every run. */
    static final String USER = "karaf";
    private static final String PASSWORD = "tailsrv.it.password";
    private static final String SSH_PORT = "tailsrv.it.ssh.port";

    private static final String REPOSITORY = "tailsrv.it.repository";
    private static final String FEATURES_FILE = "tailsrv.it.features";
    private static final String VERSION = "tailsrv.it.version";

    @Inject
    protected BundleContext bundleContext;

    /** Only for its command registry: Karaf's commands arrive after the container says it is up. */
    @Inject
    protected SessionFactory sessionFactory;

    /** The names of the ports a test uses, as system properties; each gets a free port. */
    protected abstract List<String> testPorts();

    @Configuration
    public Option[] config() throws IOException {
        String repository = new File(System.getProperty("tailsrv.repository")).toURI().toString();
        String password = UUID.randomUUID().toString();
        String sshPort = port();
        List<Option> options = new ArrayList<>(List.of(
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
                // Karaf 4.4 ships no user: an operator adds one, with the roles its console needs.
                editConfigurationFilePut("etc/users.properties", USER,
                        password + ",admin,manager,viewer,systembundles,ssh"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", sshPort),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", port()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", port()),
                property(PASSWORD, password),
                property(SSH_PORT, sshPort),
                property(REPOSITORY, System.getProperty("tailsrv.repository")),
                property(FEATURES_FILE, System.getProperty("tailsrv.features")),
                property(VERSION, System.getProperty("tailsrv.version"))));
        for (String name : testPorts()) {
            options.add(property(name, port()));
        }
        return options.toArray(new Option[0]);
    }

    private static String port() throws IOException {
        return Integer.toString(Ports.free());
    }

    /** Passes a value chosen here on to the container, as a system property. */
    private static Option property(String name, String value) {
        return editConfigurationFilePut("etc/system.properties", name, value);
    }

    // ---- in the container ----

    static int port(String name) {
        return Integer.getInteger(name);
    }

    static String version() {
        return System.getProperty(VERSION);
    }

    static String repository() {
        return System.getProperty(REPOSITORY);
    }

    static String featuresFile() {
        return System.getProperty(FEATURES_FILE);
    }

    /** The features repository as an operator names it. */
    static String featuresUrl() {
        return "mvn:io.tailsrv/tailsrv-features/" + version() + "/xml/features";
    }

    /**
     * An SSH client logged in as the operator, once Karaf's SSH server is up
     * and the console has {@code commands} (scope:name).
     */
    protected KarafSsh ssh(String... commands) throws Exception {
        ServiceTracker<SshServer, SshServer> tracker = new ServiceTracker<>(bundleContext, SshServer.class, null);
        tracker.open();
        try {
            SshServer server = tracker.waitForService(Deadline.WAIT.toMillis());
            assertNotNull("Karaf's SSH server did not start", server);
            for (String command : commands) {
                awaitCommand(command);
            }
            return new KarafSsh(server, port(SSH_PORT), USER, System.getProperty(PASSWORD));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the SSH server's host keys", e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits for Karaf to register a console command. Its boot features
     * start after the container reports it is up, and its command registry
     * announces nothing: this one wait polls, to a deadline.
     */
    protected void awaitCommand(String command) throws InterruptedException {
        String[] scopeAndName = command.split(":");
        Deadline deadline = new Deadline("Karaf's command " + command);
        while (sessionFactory.getRegistry().getCommand(scopeAndName[0], scopeAndName[1]) == null) {
            Thread.sleep(Math.min(20, deadline.remainingMillis()));
        }
    }

    /** The status services of instances on {@code port}, in {@code state} if it is not null. */
    Services instances(int port, String state) throws Exception {
        String filter = "(&(objectClass=" + InstanceStatus.SERVICE_NAME + ")(" + InstanceStatus.PORT + "=" + port + ")"
                + (state == null ? "" : "(" + InstanceStatus.STATE + "=" + state + ")") + ")";
        return new Services(bundleContext, filter);
    }

    void awaitServing(int port) throws Exception {
        try (Services serving = instances(port, "SERVING")) {
            serving.await("an instance serving port " + port, n -> n > 0);
        }
    }

    /** Waits until no instance has {@code port}, then checks the port is closed: an instance stops before its status goes. */
    void awaitClosed(int port) throws Exception {
        try (Services any = instances(port, null)) {
            any.await("no instance on port " + port, n -> n == 0);
        }
        assertRefused(port);
    }

    /** The configuration PID of the instance on {@code port}. */
    String pidOn(int port) throws Exception {
        try (Services any = instances(port, null)) {
            any.await("an instance on port " + port, n -> n > 0);
            ServiceReference<Object> reference = any.references()[0];
            return (String) reference.getProperty(InstanceStatus.CONFIG_PID);
        }
    }

    // ---- a tailsrv client ----

    static Socket request(int port, String header) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write((header + "\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    static String read(Socket socket, int n) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(n);
        assertEquals("bytes received", n, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static void assertRefused(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            fail("port " + port + " still accepts connections");
        } catch (ConnectException expected) {
            // closed
        }
    }
}
