package io.tailsrv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Busy's targets: HOST:PORT=FILE pairs, or a host-mode configuration directory read as FileInstall reads it. */
class ServedFilesTest {

    @TempDir
    Path dir;

    private Path conf;
    private Path a;
    private Path b;

    @BeforeEach
    void files() throws IOException {
        conf = Files.createDirectory(dir.resolve("conf"));
        a = Files.writeString(dir.resolve("a.log"), "");
        b = Files.writeString(dir.resolve("b.log"), "");
    }

    private void config(String name, String... lines) throws IOException {
        Files.writeString(conf.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
    }

    private List<ServedFile> fromConf() throws UsageException {
        return ServedFiles.of(List.of(), Optional.of(conf));
    }

    private String refused(List<String> pairs, Optional<Path> configDir) {
        return assertThrows(UsageException.class, () -> ServedFiles.of(pairs, configDir)).getMessage();
    }

    @Test
    void pairsWithAHostOrAPortAlone() throws UsageException {
        List<ServedFile> served = ServedFiles.of(List.of("4321=" + a, "[::1]:4322=" + b), Optional.empty());
        assertEquals(List.of(new ServedFile(new Target("127.0.0.1", 4321), a, "4321=" + a),
                new ServedFile(new Target("::1", 4322), b, "[::1]:4322=" + b)), served);
    }

    @Test
    void theFirstEqualsSignEndsTheServer() throws Exception {
        Path odd = Files.writeString(dir.resolve("x=y.log"), "");
        assertEquals(odd, ServedFiles.fromPairs(List.of("localhost:1=" + odd)).get(0).file());
    }

    @Test
    void badPairs() {
        assertEquals("not HOST:PORT=FILE: 4321", refused(List.of("4321"), Optional.empty()));
        assertEquals("not HOST:PORT=FILE: 4321=", refused(List.of("4321="), Optional.empty()));
        assertTrue(refused(List.of("70000=" + a), Optional.empty()).startsWith("not HOST:PORT or a port"));
        assertEquals("4321=" + dir + ": " + dir + " is not a file this user can append to (the bench appends to every"
                + " file, so they must be on this machine)", refused(List.of("4321=" + dir), Optional.empty()));
    }

    @Test
    void aFileServedTwiceIsRefused() {
        assertEquals(dir + "/./a.log is served twice (1=" + a + ", 2=" + dir + "/./a.log): busy measures each file once",
                refused(List.of("1=" + a, "2=" + dir + "/./a.log"), Optional.empty()));
    }

    @Test
    void pairsOrADirectoryNotBothNorNeither() {
        assertEquals("give --config-dir or HOST:PORT=FILE pairs, not both", refused(List.of("1=" + a), Optional.of(conf)));
        assertEquals("missing --config-dir DIR or HOST:PORT=FILE", refused(List.of(), Optional.empty()));
    }

    @Test
    void everyEnabledInstanceOfTheDirectoryInNameOrder() throws Exception {
        config("tailsrv-web.cfg", "# the web server's log", "file = " + b, "port = 4322", "bind = 127.0.0.2",
                "max.clients = 10");
        config("tailsrv-app.cfg", "file=" + a, "port:4321");
        config("tailsrv-off.cfg", "file = " + a, "port = 4323", "enabled = FALSE");
        config("tailsrv-example.cfg.sample", "file = /nowhere", "port = 1");
        config("other.cfg", "file = /nowhere", "port = 1");
        config(".tailsrv-web.tmp", "half written");
        assertEquals(List.of(new ServedFile(new Target("127.0.0.1", 4321), a, "tailsrv-app.cfg"),
                new ServedFile(new Target("127.0.0.2", 4322), b, "tailsrv-web.cfg")), fromConf());
    }

    @Test
    void anInstanceOnEveryInterfaceIsReachedOnLoopback() throws Exception {
        config("tailsrv-a.cfg", "file = " + a, "port = 4321", "bind =");
        config("tailsrv-b.cfg", "file = " + b, "port = 4322", "bind = [::]");
        assertEquals(List.of(new Target("127.0.0.1", 4321), new Target("::1", 4322)),
                fromConf().stream().map(ServedFile::endpoint).toList());
    }

    @Test
    void typedValuesAsFileInstallReadsThemWhenAllAreTyped() throws Exception {
        config("tailsrv-a.cfg", "file = \"" + a + "\"", "port = I\"4321\"", "allow = [\"10.0.0.0/8\",\"::1\"]");
        assertEquals(List.of(new ServedFile(new Target("127.0.0.1", 4321), a, "tailsrv-a.cfg")), fromConf());
    }

    @Test
    void escapesAndContinuationsAsInAPropertiesFile() throws Exception {
        Path spaced = Files.writeString(dir.resolve("with space.log"), "");
        config("tailsrv-a.cfg", "file = " + dir + "/with\\ \\", "    space.log   ", "port = 4321");
        assertEquals(spaced, fromConf().get(0).file());
    }

    @Test
    void whatTheBenchCannotReadIsRefusedNamingTheFile() throws Exception {
        config("tailsrv-a.cfg", "port = 4321");
        assertEquals("tailsrv-a.cfg: no file = PATH", refused(List.of(), Optional.of(conf)));
        config("tailsrv-a.cfg", "file = " + a);
        assertEquals("tailsrv-a.cfg: no port = N", refused(List.of(), Optional.of(conf)));
        config("tailsrv-a.cfg", "file = " + a, "port = 70000");
        assertEquals("tailsrv-a.cfg: port = 70000 is not a port from 1 to 65535", refused(List.of(), Optional.of(conf)));
        config("tailsrv-a.cfg", "file = logs/a.log", "port = 4321");
        assertTrue(refused(List.of(), Optional.of(conf)).startsWith("tailsrv-a.cfg: file = logs/a.log is relative"));
        config("tailsrv-a.cfg", "file = ${logs}/a.log", "port = 4321");
        assertTrue(refused(List.of(), Optional.of(conf)).startsWith("tailsrv-a.cfg: file = ${logs}/a.log needs"));
    }

    @Test
    void aDirectoryWithoutInstances() throws Exception {
        assertEquals("--config-dir " + conf + ": no enabled instance (tailsrv-NAME.cfg) in it",
                refused(List.of(), Optional.of(conf)));
        config("tailsrv-a.cfg", "file = " + a, "port = 4321", "enabled = false");
        assertEquals("--config-dir " + conf + ": no enabled instance (tailsrv-NAME.cfg) in it",
                refused(List.of(), Optional.of(conf)));
        assertEquals("--config-dir " + dir.resolve("none") + ": no such directory",
                refused(List.of(), Optional.of(dir.resolve("none"))));
        assertEquals("--config-dir " + a + ": not a directory", refused(List.of(), Optional.of(a)));
    }
}
