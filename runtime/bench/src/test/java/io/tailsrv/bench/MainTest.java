package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
            assertTrue(out().startsWith("usage: tailsrv-bench " + command.name + " HOST:PORT"), out());
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
    void allNeedsAFile() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("d"));
        assertEquals(2, run("all", "4321", "--file", directory.toString()));
        assertTrue(err().startsWith("tailsrv-bench all: --file "), err());
    }
}
