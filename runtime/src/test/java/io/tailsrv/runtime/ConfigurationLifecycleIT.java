package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.append;
import static io.tailsrv.runtime.TestSupport.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.tailsrv.api.InstanceConfig;
import io.tailsrv.api.InstanceStatus.State;

/**
 * The real bundles in a real Felix with Config Admin: a factory
 * configuration opens a port and streams a real file; updating it moves the
 * port; deleting it closes the port and its clients.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigurationLifecycleIT {

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return InFramework.distribution(consoleJar -> false);
    }

    @Test
    public void factoryConfigurationServesAFileAndEveryAppend() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "hello\n");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration config = create("serve", file, port);
        try {
            awaitState("serve", State.SERVING);
            try (Client client = Client.request(port, "0")) {
                assertEquals("hello\n", client.readString(6));
                append(file, "world\n");
                assertEquals("world\n", client.readString(6));
            }
        } finally {
            config.delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void updatingThePortMovesIt() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "abc");
        int first = Client.freePort();
        org.osgi.service.cm.Configuration config = create("move", file, first);
        try {
            awaitState("move", State.SERVING);
            try (Client old = Client.request(first, "0")) {
                assertEquals("abc", old.readString(3));
                int second = Client.freePort();
                Hashtable<String, Object> properties = properties(file, second);
                config.update(properties);
                awaitState("move", State.SERVING, second);
                InFramework.assertRefused(first);
                assertTrue("a client of the old port is closed", old.closedByServer());
                try (Client moved = Client.request(second, "-1")) {
                    assertEquals("c", moved.readString(1));
                }
            }
        } finally {
            config.delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void deletingTheConfigurationClosesThePortAndItsClients() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "x");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration config = create("gone", file, port);
        awaitState("gone", State.SERVING);
        try (Client client = Client.request(port, "0")) {
            assertEquals("x", client.readString(1));
            CountDownLatch unregistered = InFramework.unregistration(context, "gone");
            config.delete();
            assertTrue("the instance went away", unregistered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            InFramework.assertRefused(port);
            assertTrue(client.closedByServer());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void liveEditKeepsEstablishedClients() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "1");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration config = create("live", file, port);
        try {
            awaitState("live", State.SERVING);
            try (Client client = Client.request(port, "0")) {
                assertEquals("1", client.readString(1));
                Hashtable<String, Object> properties = properties(file, port);
                properties.put(InstanceConfig.HEADER_TIMEOUT, 2.5);
                properties.put(InstanceConfig.MAX_CLIENTS, 1);
                properties.put(InstanceConfig.ALLOW, new String[] {"127.0.0.0/8", "::1"});
                config.update(properties);
                awaitRefusal(port); // the edit applies: a second client is one too many
                append(file, "2");
                assertEquals("the client stays through a live edit", "2", client.readString(1));
            }
        } finally {
            config.delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void disabledInstanceStopsAndStartsAgain() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "on");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration config = create("toggle", file, port);
        try {
            awaitState("toggle", State.SERVING);
            Hashtable<String, Object> properties = properties(file, port);
            properties.put(InstanceConfig.ENABLED, false);
            config.update(properties);
            awaitState("toggle", State.STOPPED);
            InFramework.assertRefused(port);
            properties.put(InstanceConfig.ENABLED, true);
            config.update(properties);
            awaitState("toggle", State.SERVING);
            try (Client client = Client.request(port, "0")) {
                assertEquals("on", client.readString(2));
            }
        } finally {
            config.delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void invalidPortFailsOnlyThatInstanceNamingTheProperty() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "fine");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration good = create("good", file, port);
        org.osgi.service.cm.Configuration bad =
                configurationAdmin.getFactoryConfiguration(InstanceConfig.FACTORY_PID, "bad", "?");
        Hashtable<String, Object> properties = properties(file, 0);
        properties.put(InstanceConfig.PORT, "70000");
        bad.update(properties);
        try {
            String reason = awaitState("bad", State.FAILED);
            assertTrue(reason, reason.startsWith("port:") && reason.contains("70000"));
            awaitState("good", State.SERVING);
            try (Client client = Client.request(port, "0")) {
                assertEquals("fine", client.readString(4));
            }
        } finally {
            bad.delete();
            good.delete();
            Files.deleteIfExists(file);
        }
    }

    private org.osgi.service.cm.Configuration create(String name, Path file, int port) throws IOException {
        org.osgi.service.cm.Configuration config =
                configurationAdmin.getFactoryConfiguration(InstanceConfig.FACTORY_PID, name, "?");
        config.update(properties(file, port));
        return config;
    }

    private static Hashtable<String, Object> properties(Path file, int port) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(InstanceConfig.FILE, file.toString());
        properties.put(InstanceConfig.PORT, port);
        return properties;
    }

    private String awaitState(String name, State state) throws Exception {
        return InFramework.awaitState(context, name, state);
    }

    private String awaitState(String name, State state, int port) throws Exception {
        return InFramework.awaitState(context, name, state, port);
    }

    /**
     * Connects until a connection is closed without a byte: the moment a new
     * client limit applies. Config Admin applies updates asynchronously and a
     * live edit changes no state to wait on, so the effect itself is awaited.
     */
    private static void awaitRefusal(int port) throws Exception {
        await("a connection to " + port + " refused", WAIT, () -> isRefused(port));
    }

    /** Whether a new client is closed without a byte. */
    private static boolean isRefused(int port) throws IOException {
        try (Client extra = Client.request(port, "0")) {
            return extra.readAvailableWithin(200).length == 0;
        } catch (SocketException reset) {
            return true; // closed at once, before or while the header was sent
        }
    }
}
