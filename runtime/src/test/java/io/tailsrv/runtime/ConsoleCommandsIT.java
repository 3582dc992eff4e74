package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
 * The {@code tailsrv:} console commands in a real Felix with Gogo, as the
 * distribution's console runs them: each test types command lines into a
 * Gogo session and checks what they print and what they did to real sockets.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleCommandsIT {

    private static final List<String> COMMANDS = List.of("list", "clients", "add", "remove", "start", "stop");

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor processor;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        // Gogo's runtime and commands, not its JLine shell: that would read this JVM's stdin.
        return InFramework.distribution(name -> !name.startsWith("jline") && !name.startsWith("org.apache.felix.gogo.jline"));
    }

    @Test
    public void listShowsAServingInstance() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        Files.writeString(file, "hello\n");
        int port = Client.freePort();
        org.osgi.service.cm.Configuration config =
                configurationAdmin.getFactoryConfiguration(InstanceConfig.FACTORY_PID, "listed", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(InstanceConfig.FILE, file.toString());
        properties.put(InstanceConfig.PORT, port);
        config.update(properties);
        try {
            awaitState("listed", State.SERVING);
            Output list = run("tailsrv:list");
            assertTrue(list.out, list.out.startsWith("NAME "));
            assertEquals(List.of("NAME", "ENDPOINT", "FILE", "STATE", "CLIENTS", "SIZE", "SENT", "UPSTREAM"),
                    columns(list.out.lines().findFirst().orElseThrow()));
            assertEquals(List.of("listed", "*:" + port, file.toString(), "SERVING", "0", "6", "0", "-"),
                    columns(row(list.out, "listed")));
        } finally {
            config.delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void addServeStopStartAndRemoveAnInstance() throws Exception {
        Path file = Files.createTempFile("console-it-", ".log");
        Files.writeString(file, "abc");
        String name = file.getFileName().toString().replace('-', '_');
        int port = Client.freePort();
        try {
            Output add = run("tailsrv:add " + port + " " + file);
            assertEquals("", add.err);
            assertEquals("added " + name + ": *:" + port + " serving " + file + " (configuration "
                    + InstanceConfig.pidOf(name) + ")", add.out.strip());
            awaitState(name, State.SERVING);

            try (Client client = Client.request(port, "0")) {
                assertEquals("abc", client.readString(3));
                List<String> row = columns(row(run("tailsrv:clients " + name).out, name));
                assertEquals(List.of(name, "127.0.0.1:" + client.socket.getLocalPort(), "raw", "-", "3", "0", "0.0", "3"),
                        row.subList(0, 8));
                Instant since = Instant.parse(row.get(8));
                assertTrue(since.toString(), Duration.between(since, Instant.now()).abs().toMinutes() < 1);

                Output stop = run("tailsrv:stop " + name);
                assertEquals("stopped " + name, stop.out.strip());
                awaitState(name, State.STOPPED);
                InFramework.assertRefused(port);
                assertTrue("the stopped instance's client is closed", client.closedByServer());
            }
            assertEquals(Boolean.FALSE, configuration(name).getProperties().get(InstanceConfig.ENABLED));
            assertEquals("STOPPED", columns(row(run("tailsrv:list").out, name)).get(3));
            assertEquals(name + " was already stopped", run("tailsrv:stop " + name).out.strip());
            assertEquals("no clients", run("tailsrv:clients " + name).out.strip());

            assertEquals("started " + name, run("tailsrv:start " + name).out.strip());
            awaitState(name, State.SERVING);
            try (Client client = Client.request(port, "-1")) {
                assertEquals("c", client.readString(1));
            }

            CountDownLatch unregistered = InFramework.unregistration(context, name);
            assertEquals("removed " + name, run("tailsrv:remove " + name).out.strip());
            assertTrue("the instance went away", unregistered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            InFramework.assertRefused(port);
            assertNull(configurationAdmin.listConfigurations("(service.pid=" + InstanceConfig.pidOf(name) + ")"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void addRefusesATakenNameAndABadPort() throws Exception {
        Path file = Files.createTempFile("tailsrv-it", ".log");
        int port = Client.freePort();
        try {
            assertEquals("", run("tailsrv:add --name taken " + port + " " + file).err);
            Output again = run("tailsrv:add --name taken " + Client.freePort() + " " + file);
            assertEquals("tailsrv:add: an instance named taken exists already", again.err.strip());
            assertEquals("", again.out);

            Output badPort = run("tailsrv:add 70000 " + file);
            assertTrue(badPort.err, badPort.err.startsWith("PORT 70000 is out of range (1-65535)"));
            assertTrue(badPort.err, badPort.err.contains("Usage: tailsrv:add"));
            assertEquals("", badPort.out);
        } finally {
            configuration("taken").delete();
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void everyCommandPrintsItsUsage() throws Exception {
        for (String command : COMMANDS) {
            Output help = run("tailsrv:" + command + " -h");
            assertTrue(help.out, help.out.startsWith("Usage: tailsrv:" + command + " "));
            assertTrue(help.out, help.out.contains("-h, --help"));
            assertEquals("", help.err);
        }
    }

    @Test
    public void unknownNamesAreErrors() throws Exception {
        for (String command : List.of("clients", "remove", "start", "stop")) {
            Output output = run("tailsrv:" + command + " nosuch");
            assertEquals("tailsrv:" + command + ": no instance named nosuch", output.err.strip());
            assertEquals("", output.out);
        }
    }

    /** What one command line printed. */
    private static final class Output {
        final String out;
        final String err;

        Output(String out, String err) {
            this.out = out;
            this.err = err;
        }
    }

    private Output run(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err)) {
            session.execute(commandLine);
            session.getConsole().flush();
        }
        return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The table row of {@code name}; fails if there is none. */
    private static String row(String table, String name) {
        return table.lines().filter(line -> columns(line).get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + table));
    }

    private static List<String> columns(String line) {
        return Arrays.asList(line.strip().split("\\s+"));
    }

    private org.osgi.service.cm.Configuration configuration(String name) throws Exception {
        org.osgi.service.cm.Configuration[] found =
                configurationAdmin.listConfigurations("(service.pid=" + InstanceConfig.pidOf(name) + ")");
        assertNotNull("no configuration " + InstanceConfig.pidOf(name), found);
        return found[0];
    }

    private void awaitState(String name, State state) throws Exception {
        InFramework.awaitState(context, name, state);
    }
}
