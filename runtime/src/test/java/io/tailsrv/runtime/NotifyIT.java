package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify as systemd receives it: each test binds its own datagram socket,
 * names it in NOTIFY_SOCKET (a path, or an abstract {@code @name}) and runs
 * the assembled {@code bin/tailsrv}.
 */
class NotifyIT {

    @TempDir
    Path dir;

    @Test
    void readyOnlyOnceThePortAcceptsThenStatusFollowsClientsAndStoppingAtSigterm() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "hello\n");
        int port = Client.freePort();
        try (NotifyReceiver systemd = new NotifyReceiver(dir.resolve("notify").toString());
                PortProbe probe = PortProbe.start(port);
                TailsrvProcess server = TailsrvProcess.start(Map.of("NOTIFY_SOCKET", systemd.name()),
                        "-p", "" + port, file.toString())) {
            NotifyReceiver.Notification ready = systemd.await("^READY=1$", WAIT);
            Client.connect(port).close(); // accepts right when READY=1 arrives
            assertTrue(ready.receivedNanos() - probe.awaitLastRefusal() > 0,
                    "READY=1 arrived before a moment the port still refused connections");

            long quiet = systemd.await("^STATUS=1 instance: 1 serving, 0 waiting, 0 stopped, 0 failed; 0 clients$",
                    WAIT).receivedNanos();
            long connected = System.nanoTime();
            try (Client client = Client.request(port, "0")) {
                assertEquals("hello\n", client.readString(6));
                NotifyReceiver.Notification busy = systemd.await(
                        "^STATUS=1 instance: 1 serving, 0 waiting, 0 stopped, 0 failed; 1 client$", connected, WAIT);
                assertTrue(busy.receivedNanos() - quiet >= Duration.ofMillis(900).toNanos(),
                        "STATUS= at most once a second");
            }

            long terminated = System.nanoTime();
            server.terminate();
            systemd.await("^STOPPING=1$", terminated, WAIT);
            server.awaitExit(WAIT);
            assertTrue(systemd.received().stream().noneMatch(n -> n.text().contains("RELOADING")),
                    "the command line's own configuration is start-up, not a reload: " + systemd.received());
        }
    }

    @Test
    void watchdogPingsComeAtHalfWatchdogUsecToAnAbstractSocket() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "x");
        int port = Client.freePort();
        try (NotifyReceiver systemd = new NotifyReceiver("@tailsrv-test-" + UUID.randomUUID());
                TailsrvProcess server = TailsrvProcess.start(
                        Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "400000"),
                        "-p", "" + port, file.toString())) {
            systemd.await("^READY=1$", WAIT);
            List<Long> pings = new ArrayList<>();
            long after = System.nanoTime();
            for (int i = 0; i < 11; i++) {
                after = systemd.await("^WATCHDOG=1$", after, WAIT).receivedNanos();
                pings.add(after);
            }
            long longest = 0;
            for (int i = 1; i < pings.size(); i++) {
                longest = Math.max(longest, pings.get(i) - pings.get(i - 1));
            }
            double meanMillis = (pings.get(10) - pings.get(0)) / 10 / 1e6;
            System.out.printf("watchdog: WATCHDOG_USEC=400000, 10 intervals averaging %.1f ms, longest %.1f ms%n",
                    meanMillis, longest / 1e6);
            assertTrue(meanMillis > 180 && meanMillis < 220, "a ping every " + meanMillis + " ms, not every 200");
            assertTrue(longest < Duration.ofMillis(400).toNanos(), "a gap of " + longest / 1e6 + " ms: systemd would have fired");
        }
    }

    @Test
    void inHostModeReadyOnceEveryInstanceListensOrWaitsForItsFile() throws Exception {
        ConfigDir config = ConfigDir.under(dir);
        int serving = Client.freePort();
        int waiting = Client.freePort();
        config.serve("a", Files.writeString(dir.resolve("a.log"), "alpha\n"), serving);
        config.serve("b", dir.resolve("not-yet.log"), waiting);
        try (NotifyReceiver systemd = new NotifyReceiver(dir.resolve("notify").toString());
                TailsrvProcess server = TailsrvProcess.start(Map.of("NOTIFY_SOCKET", systemd.name()),
                        "--config-dir", config.dir.toString())) {
            systemd.await("^READY=1$", WAIT);
            Client.connect(serving).close();
            Client.connect(waiting).close();
            assertTrue(systemd.received().stream().noneMatch(n -> n.text().contains("RELOADING")),
                    "start-up is not a reload: " + systemd.received());
        }
    }

    @Test
    void reloadingThenReadyAroundEachConfigurationChange() throws Exception {
        // No configuration at start: the reloads below are the only configuration changes. FileInstall
        // writes a configuration back to its file after each update, and an edit of the file during that
        // write would be lost: so each step changes the file the previous step did not.
        ConfigDir config = ConfigDir.under(dir);
        Path log = Files.writeString(dir.resolve("a.log"), "alpha\n");
        try (NotifyReceiver systemd = new NotifyReceiver(dir.resolve("notify").toString());
                TailsrvProcess server = TailsrvProcess.start(Map.of("NOTIFY_SOCKET", systemd.name()),
                        "--config-dir", config.dir.toString())) {
            systemd.await("^READY=1$", WAIT);

            int portB = Client.freePort();
            reload(server, systemd, () -> config.serve("b", log, portB));
            Client.connect(portB).close(); // a new instance listens when READY=1 arrives
            int portC = Client.freePort();
            reload(server, systemd, () -> config.serve("c", log, portC));
            Client.connect(portC).close();

            reload(server, systemd, () -> config.serve("b", log, portB, "header.timeout = 5"));
            // READY=1 follows the log line, but may reach the test before the line's pipe is read
            server.awaitLog("\\[b\\] updated: header.timeout 5.0 s", WAIT);
            assertEquals(1, server.logged("\\[b\\] updated: header.timeout 5.0 s").size(), "a live edit, applied once");

            int movedC = Client.freePort();
            reload(server, systemd, () -> config.serve("c", log, movedC));
            Client.connect(movedC).close(); // a restarted instance listens on its new port
            assertThrows(ConnectException.class, () -> Client.connect(portC).close());

            reload(server, systemd, () -> config.remove("b"));
            assertThrows(ConnectException.class, () -> Client.connect(portB).close()); // a removed one is gone
        }
    }

    @Test
    void withoutNotifySocketNothingAtAll() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "x");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start(Map.of("WATCHDOG_USEC", "400000"),
                "-p", "" + port, file.toString()).awaitListening()) {
            assertFalse(threadNames(server.pid()).contains("tailsrv-notify"), "no notifier thread");
            assertEquals(List.of(), server.logged(" (WARN|ERROR) "));
            assertEquals(List.of(), server.logged("systemd"));
        }
    }

    /** Makes {@code change}; RELOADING=1 (with MONOTONIC_USEC) then READY=1 follow. */
    private static void reload(TailsrvProcess server, NotifyReceiver systemd, IoAction change) throws Exception {
        long before = System.nanoTime();
        change.run();
        try {
            NotifyReceiver.Notification reloading = systemd.await("^RELOADING=1$", before, WAIT);
            assertTrue(reloading.text().matches("RELOADING=1\nMONOTONIC_USEC=\\d+"), reloading.text());
            systemd.await("^READY=1$", reloading.receivedNanos(), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ntailsrv's stderr:\n" + String.join("\n", server.stderr()), e);
        }
    }

    private static List<String> threadNames(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            List<String> names = new ArrayList<>();
            for (Path task : tasks.toList()) {
                names.add(Files.readString(task.resolve("comm")).strip());
            }
            return names;
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
