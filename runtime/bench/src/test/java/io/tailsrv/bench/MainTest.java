package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses and messages of command lines that never reach a network. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        return Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentsIsUsageOnStderr() {
        assertEquals(2, run());
        assertTrue(err().startsWith("usage: tailsrv-bench SUBCOMMAND"), err());
        assertEquals("", out());
    }

    @Test
    void helpIsUsageOnStdout() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("  latency  "), out());
        assertEquals("", err());
    }

    @Test
    void eachSubcommandHasItsHelp() {
        for (Command command : Command.values()) {
            out.reset();
            assertEquals(0, run(command.name, "-h"), command.name);
            String target = command == Command.BUSY ? " --config-dir DIR" : " HOST:PORT";
            assertTrue(out().startsWith("usage: tailsrv-bench " + command.name + target), out());
        }
    }

    @Test
    void unknownSubcommand() {
        assertEquals(2, run("throughput", "4321"));
        assertTrue(err().startsWith("tailsrv-bench: unknown subcommand throughput\nusage:"), err());
    }

    @Test
    void badOptionNamesTheSubcommandAndShowsItsUsage() {
        assertEquals(2, run("fanout", "4321", "--clients", "many"));
        assertTrue(err().startsWith("tailsrv-bench fanout: --clients takes a whole number: many\n"
                + "usage: tailsrv-bench fanout HOST:PORT"), err());
    }

    @Test
    void latencyNeedsAFileItCanAppendTo() {
        assertEquals(2, run("latency", "4321"));
        assertTrue(err().startsWith("tailsrv-bench latency: missing --file PATH\n"), err());
        err.reset();
        assertEquals(2, run("latency", "4321", "--file", dir.resolve("none").toString()));
        assertTrue(err().contains("not a file this user can append to"), err());
    }

    @Test
    void idleNeedsALivePid() {
        assertEquals(2, run("idle", "4321", "--pid", "999999999"));
        assertTrue(err().contains("no such process on this machine"), err());
    }

    @Test
    void helpListsBusy() {
        assertEquals(0, run("-h"));
        assertTrue(out().contains("  busy     many files at once"), out());
    }

    @Test
    void busyNeedsFilesItCanAppendTo() {
        assertEquals(2, run("busy", "--clients", "3"));
        assertTrue(err().startsWith("tailsrv-bench busy: missing --config-dir DIR or HOST:PORT=FILE\n"
                + "usage: tailsrv-bench busy --config-dir DIR"), err());
        err.reset();
        assertEquals(2, run("busy", "4321=" + dir.resolve("none")));
        assertTrue(err().contains("is not a file this user can append to"), err());
    }

    @Test
    void busyOptions() throws Exception {
        Path log = Files.writeString(dir.resolve("log"), "");
        assertEquals(2, run("busy", "4321=" + log, "--rate", "0"));
        assertTrue(err().startsWith("tailsrv-bench busy: --rate must be at least 1: 0\n"), err());
        err.reset();
        assertEquals(2, run("busy", "4321=" + log, "--file", log.toString()));
        assertTrue(err().startsWith("tailsrv-bench busy: unknown option --file\n"), err());
        err.reset();
        assertEquals(2, run("busy", "4321=" + log, "--clients", "1000", "--rate", "1000", "--seconds", "60"));
        assertTrue(err().startsWith("tailsrv-bench busy: 62000000 deliveries (files 1 x clients 1000 x rate 1000"
                + " x 62 s); this bench counts at most 10000000"), err());
    }

    @Test
    void busyWithoutAServerFailsBeforeAppending() throws Exception {
        Path log = Files.writeString(dir.resolve("log"), "before\n");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(1, run("busy", closedPort + "=" + log, "--warmup", "0", "--seconds", "1"));
        assertTrue(err().startsWith("tailsrv-bench busy: cannot connect to 127.0.0.1:" + closedPort), err());
        assertEquals("before\n", Files.readString(log));
    }

    @Test
    void allNeedsAFile() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("d"));
        assertEquals(2, run("all", "4321", "--file", directory.toString()));
        assertTrue(err().startsWith("tailsrv-bench all: --file "), err());
    }
}
