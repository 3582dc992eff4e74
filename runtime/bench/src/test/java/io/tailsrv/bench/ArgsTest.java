package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgsTest {

    private static final Set<String> OPTIONS = Set.of("--clients", "--bytes", "--file", "--tls", "--tls-ca");

    private static Args parse(String... argv) throws UsageException {
        return Args.parse(List.of(argv), OPTIONS);
    }

    private static String usageError(String... argv) {
        return assertThrows(UsageException.class, () -> {
            Args args = parse(argv);
            args.target();
            args.count("--clients", 1, 1);
            args.bytes("--bytes");
        }).getMessage();
    }

    @Test
    void optionsBeforeOrAfterTheTargetWithASpaceOrAnEqualsSign() throws Exception {
        Args args = parse("--clients", "7", "localhost:4321", "--bytes=1000");
        assertEquals(new Target("localhost", 4321), args.target());
        assertEquals(7, args.count("--clients", 1, 1));
        assertEquals(1000, args.bytes("--bytes"));
        assertFalse(args.helpRequested());
    }

    @Test
    void tlsIsAFlagAndItsCaNeedsIt(@TempDir Path dir) throws Exception {
        assertNull(parse("4321").target().tls(), "plain text without --tls");
        Args tls = parse("--tls", "4321", "--clients", "2");
        assertNotNull(tls.target().tls(), "--tls takes no value: 4321 is the target");
        assertEquals(2, tls.count("--clients", 1, 1));
        assertEquals("--tls takes no value", assertThrows(UsageException.class, () -> parse("--tls=yes", "1")).getMessage());
        assertEquals("--tls-ca is for --tls", assertThrows(UsageException.class,
                () -> parse("--tls-ca", "ca.pem", "1").target()).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertTrue(assertThrows(BenchFailure.class, () -> parse("--tls", "--tls-ca", empty.toString(), "1").target())
                .getMessage().contains("no certificate in it"));
    }

    @Test
    void absentOptionsTakeTheirDefaults() throws UsageException {
        Args args = parse("4321");
        assertEquals(100, args.count("--clients", 100, 1));
        assertEquals(0, args.bytes("--bytes"), "0: read until quiet");
        assertEquals(Optional.empty(), args.path("--file"));
    }

    @Test
    void byteCountsTakeBinarySuffixes() throws UsageException {
        assertEquals(64L << 10, parse("1", "--bytes", "64k").bytes("--bytes"));
        assertEquals(64L << 20, parse("1", "--bytes", "64M").bytes("--bytes"));
        assertEquals(3L << 30, parse("1", "--bytes", "3G").bytes("--bytes"));
    }

    @Test
    void everyPositionalInOrderForBusy() throws UsageException {
        Args args = parse("1=/a", "--clients", "2", "host:2=/b=c");
        assertEquals(List.of("1=/a", "host:2=/b=c"), args.positionals());
        assertEquals(2, args.count("--clients", 5, 1));
        assertEquals(List.of(), parse("--clients", "2").positionals());
    }

    @Test
    void helpAnywhere() throws UsageException {
        assertTrue(parse("-h").helpRequested());
        assertTrue(parse("4321", "--clients", "3", "--help").helpRequested());
    }

    @Test
    void pathsAndRequiredPaths() throws UsageException {
        assertEquals(Path.of("/tmp/log"), parse("1", "--file", "/tmp/log").requiredPath("--file"));
        assertEquals("missing --file PATH",
                assertThrows(UsageException.class, () -> parse("1").requiredPath("--file")).getMessage());
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertEquals("missing HOST:PORT", usageError("--clients", "2"));
        assertEquals("unexpected argument 5", usageError("4321", "5"));
        assertEquals("unknown option --client", usageError("4321", "--client", "2"));
        assertEquals("--clients needs a value", usageError("4321", "--clients"));
        assertEquals("--clients given twice", usageError("4321", "--clients", "2", "--clients=3"));
        assertEquals("--clients takes a whole number: two", usageError("4321", "--clients", "two"));
        assertEquals("--clients takes a whole number: -2", usageError("4321", "--clients=-2"));
        assertEquals("--clients must be at least 1: 0", usageError("4321", "--clients", "0"));
        assertEquals("--clients is too large: 3000000000", usageError("4321", "--clients", "3000000000"));
        assertEquals("--clients is too large: 99999999999999999999", usageError("4321", "--clients", "99999999999999999999"));
        assertEquals("--bytes takes a whole number: 1.5G", usageError("4321", "--bytes", "1.5G"));
        assertEquals("--bytes takes a whole number: ", usageError("4321", "--bytes="));
        assertEquals("--bytes is too large: 99999999999G", usageError("4321", "--bytes", "99999999999G"));
        assertEquals("--bytes must be at least 1: 0M", usageError("4321", "--bytes", "0M"));
    }
}
