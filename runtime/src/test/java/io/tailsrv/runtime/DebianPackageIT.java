package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build makes, installed into this machine's root
 * with the real dpkg ({@link DebianPackageFilesIT} looks into it): the
 * installed /usr/bin/tailsrv, run as the user the package made with the
 * environment its unit gives it (systemd is not PID 1 here), serves a file
 * from /etc/tailsrv over a real socket; an upgrade keeps an edited conffile;
 * remove keeps /etc/tailsrv and purge takes it.
 *
 * <p>It skips without dpkg or root, and where tailsrv or /etc/tailsrv is
 * there already (it never touches an operator's). systemd-analyze must be
 * there (.ci/run installs it). It leaves the machine as it found it: the
 * package purged, and the user tailsrv removed if it was not there before.
 */
class DebianPackageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path ETC = Path.of("/etc/tailsrv");
    private static final Path CACHE = Path.of("/var/cache/tailsrv");
    private static final Path SHARE = Path.of("/usr/share/tailsrv");
    private static final Path UNITS = Path.of("/lib/systemd/system");
    private static final Path SAMPLE = ETC.resolve("tailsrv-example.cfg.sample");
    private static final Path WANTS = Path.of("/etc/systemd/system/multi-user.target.wants");

    private BuiltDeb deb;

    @TempDir
    Path dir;

    @BeforeEach
    void thePackageWasBuilt() throws Exception {
        deb = BuiltDeb.find();
    }

    /**
     * Install, serve, upgrade over an edited conffile, remove, purge: one
     * story, as each step starts from the state the one before left.
     */
    @Test
    void installsServesUpgradesAndGoes() throws Exception {
        assumeTrue(TestSupport.isRoot(), "installing a package needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "no dpkg");
        assumeFalse(Program.run("dpkg-query", "--status", "tailsrv").status() == 0,
                "tailsrv is installed on this machine: this test installs and purges its own, so it leaves that one alone");
        assumeFalse(Files.exists(ETC) || Files.exists(CACHE), ETC + " or " + CACHE + " exists: it may be an operator's");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is missing (.ci/run installs systemd)");
        boolean hadUser = Program.run("getent", "passwd", "tailsrv").status() == 0;
        try {
            timed("install", () -> install(deb.path()));
            timed("user", DebianPackageIT::theUserIsASystemUserWithoutHomeOrShell);
            timed("units", DebianPackageIT::theInstalledUnitsVerifyAndKeepTheirSandbox);
            timed("archive", this::theArchiveMadeAtInstallIsUsed);
            timed("trigger", DebianPackageIT::aJdkChangingMakesTheArchiveAgain);
            timed("serve", this::theInstalledCommandServesAConfigurationFromEtcAsTheUser);
            timed("upgrade", this::anUpgradeKeepsAnEditedConffile);
            timed("remove and purge", this::removeKeepsTheConfigurationAndPurgeTakesIt);
        } finally {
            cleanUp(hadUser);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void timed(String name, Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        System.out.printf("DebianPackageIT: %s, %d ms%n", name, (System.nanoTime() - start) / 1_000_000);
    }

    private static void install(Path debFile) throws Exception {
        Program.succeed("dpkg", "--install", debFile.toString());
        assertEquals("install ok installed", Program.succeed("dpkg-query", "--show", "--showformat=${Status}", "tailsrv"));
    }

    private static void theUserIsASystemUserWithoutHomeOrShell() throws Exception {
        String[] user = Program.succeed("getent", "passwd", "tailsrv").strip().split(":");
        assertTrue(Integer.parseInt(user[2]) < 1000, "a system uid: " + String.join(":", user));
        assertEquals("/nonexistent", user[5]);
        assertEquals("/usr/sbin/nologin", user[6]);
        assertFalse(Files.exists(Path.of(user[5])));
        String group = Program.succeed("getent", "group", user[3]).strip();
        assertTrue(group.startsWith("tailsrv:"), "its own group: " + group);
    }

    private static void theInstalledUnitsVerifyAndKeepTheirSandbox() throws Exception {
        // A template is verified through an instance; its EnvironmentFile is read only at start.
        Program.Result verify = Program.run("systemd-analyze", "verify", "tailsrv.service", "tailsrv@web.service");
        assertEquals(0, verify.status(), verify.output());
        assertEquals("", verify.output(), "no warnings either");
        for (String unit : List.of("tailsrv.service", "tailsrv@web.service")) {
            String security = Program.succeed("systemd-analyze", "security", "--offline=true", "--no-pager", unit);
            Matcher level = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)").matcher(security);
            assertTrue(level.find(), security);
            System.out.printf("DebianPackageIT: installed %s exposure %s%n", unit, level.group(1));
            assertTrue(Double.parseDouble(level.group(1)) <= 2.0, unit + ":\n" + security);
        }
        for (String unit : List.of("tailsrv.service", "tailsrv@.service")) {
            List<String> lines = Files.readAllLines(UNITS.resolve(unit));
            for (String line : List.of("User=tailsrv", "CacheDirectory=tailsrv", "Environment=TAILSRV_CACHE_DIR=" + CACHE,
                    "ProtectSystem=strict", "NoNewPrivileges=yes", "Documentation=man:tailsrv(1)")) {
                assertTrue(lines.contains(line), unit + " has " + line);
            }
        }
        assertTrue(Files.readAllLines(UNITS.resolve("tailsrv.service"))
                .contains("ExecStart=/usr/bin/tailsrv --config-dir /etc/tailsrv --journald"));
    }

    private void theArchiveMadeAtInstallIsUsed() throws Exception {
        assertEquals("tailsrv", Files.getOwner(CACHE).getName());
        assertEquals("tailsrv", Files.getOwner(CACHE.resolve("tailsrv.jsa")).getName());
        assertTrue(Files.size(CACHE.resolve("tailsrv.jsa")) > 1 << 20);
        // Classes from the dynamic archive load from "shared objects file (top)".
        try (TailsrvProcess version = TailsrvProcess.start(Path.of("/usr/bin/tailsrv"),
                asTheUnitRunsIt(Map.of("JAVA_OPTS", "-Xlog:class+load=info")), Map.of(), "--version")) {
            assertEquals(0, version.awaitExit(WAIT), String.join("\n", version.stderr()));
            assertTrue(version.stdout().contains("source: shared objects file (top)"),
                    "no class came from " + CACHE.resolve("tailsrv.jsa"));
        }
    }

    /** What dpkg does when a JDK's package changes files under /usr/lib/jvm: the package's file trigger. */
    private static void aJdkChangingMakesTheArchiveAgain() throws Exception {
        Files.delete(CACHE.resolve("tailsrv.jsa"));
        Files.delete(CACHE.resolve("tailsrv.jsa.jdk"));
        Program.succeed("dpkg-trigger", "--no-await", "/usr/lib/jvm");
        assertEquals("install ok triggers-pending", Program.succeed("dpkg-query", "--show", "--showformat=${Status}", "tailsrv"));
        Program.succeed("dpkg", "--triggers-only", "tailsrv");
        assertEquals("install ok installed", Program.succeed("dpkg-query", "--show", "--showformat=${Status}", "tailsrv"));
        assertTrue(Files.size(CACHE.resolve("tailsrv.jsa")) > 1 << 20, "the archive made again");
        assertTrue(Files.exists(CACHE.resolve("tailsrv.jsa.jdk")));
    }

    private void theInstalledCommandServesAConfigurationFromEtcAsTheUser() throws Exception {
        // Outside the build's directory, which may be private to root, and open to tailsrv
        // (a temporary directory is made private to its maker).
        Path served = Files.createTempDirectory(Path.of("/tmp"), "tailsrv-deb-");
        try {
            Files.setPosixFilePermissions(served, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path log = Files.writeString(served.resolve("app.log"), "installed\n");
            int port = Client.freePort();
            new ConfigDir(ETC).serve("debtest", log, port);
            List<String> command = new ArrayList<>(List.of(unitLine("tailsrv.service", "ExecStart").split(" ")));
            command.remove("--journald"); // its log lines are awaited on stderr: there is no journal here
            try (TailsrvProcess server = TailsrvProcess.start(Path.of(command.get(0)), asTheUnitRunsIt(Map.of()), Map.of(),
                    command.subList(1, command.size()).toArray(String[]::new))) {
                server.awaitLog("serving 1 instance from " + ETC, WAIT);
                try (Client client = Client.request(port, "0")) {
                    assertEquals("installed\n", client.readString(10));
                    Files.writeString(log, "appended\n", StandardOpenOption.APPEND);
                    assertEquals("appended\n", client.readString(9));
                }
                String uid = Program.succeed("id", "-u", "tailsrv").strip();
                for (String id : ProcFs.uids(server.pid()).split("\\s+")) {
                    assertEquals(uid, id, "runs as tailsrv: " + ProcFs.uids(server.pid()));
                }
                assertTrue(frameworkCaches() > 0, "the framework's cache is in " + CACHE);
                // The other link in /usr/bin, measuring the installed server: the file's 19 bytes.
                Program.Result bench = Program.run("/usr/bin/tailsrv-bench", "catchup", "" + port, "--bytes", "19");
                assertEquals(0, bench.status(), bench.output());
                assertTrue(bench.output().contains("bytes=19"), bench.output());
            }
        } finally {
            try (Stream<Path> files = Files.walk(served)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void anUpgradeKeepsAnEditedConffile() throws Exception {
        Files.writeString(SAMPLE, "# edited by the operator\n", StandardOpenOption.APPEND);
        String edited = Files.readString(SAMPLE);
        Path operators = ETC.resolve("tailsrv-debtest.cfg");
        String config = Files.readString(operators);
        String newer = deb.version() + "+1";
        assertEquals(0, Program.run("dpkg", "--compare-versions", newer, "gt", deb.version()).status());
        // Standard input is closed: had dpkg a question about the conffile, the upgrade would fail.
        install(repacked(newer));
        assertEquals(newer, Program.succeed("dpkg-query", "--show", "--showformat=${Version}", "tailsrv"));
        assertEquals(edited, Files.readString(SAMPLE), "the edited conffile as the operator left it");
        assertEquals(config, Files.readString(operators));
        try (Stream<Path> files = Files.list(ETC)) {
            assertEquals(List.of(operators, SAMPLE), files.sorted().toList(), "no .dpkg-new or .dpkg-dist beside them");
        }
        assertTrue(Files.size(CACHE.resolve("tailsrv.jsa")) > 1 << 20, "the archive made again for the new version");
    }

    /** The package as built, but for the version in its control file: an upgrade of it. */
    private Path repacked(String newVersion) throws Exception {
        Path tree = dir.resolve("tree");
        Program.succeed("dpkg-deb", "--raw-extract", deb.path().toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replace("Version: " + deb.version() + "\n",
                "Version: " + newVersion + "\n"));
        Path newer = dir.resolve("tailsrv_" + newVersion + "_all.deb");
        Program.succeed("dpkg-deb", "--root-owner-group", "-Znone", "--build", tree.toString(), newer.toString());
        return newer;
    }

    private void removeKeepsTheConfigurationAndPurgeTakesIt() throws Exception {
        // What an operator does: enable the services (offline, as systemd is not running).
        Program.succeed("systemctl", "enable", "tailsrv.service", "tailsrv@debtest.service");
        assertTrue(Files.isSymbolicLink(WANTS.resolve("tailsrv.service")));

        Program.succeed("dpkg", "--remove", "tailsrv");
        assertEquals("deinstall ok config-files", Program.succeed("dpkg-query", "--show", "--showformat=${Status}", "tailsrv"));
        for (Path gone : List.of(SHARE, Path.of("/usr/bin/tailsrv"), Path.of("/usr/bin/tailsrv-bench"),
                UNITS.resolve("tailsrv.service"), UNITS.resolve("tailsrv@.service"), CACHE)) {
            assertFalse(Files.exists(gone, LinkOption.NOFOLLOW_LINKS), gone + " is removed");
        }
        assertTrue(Files.exists(SAMPLE) && Files.exists(ETC.resolve("tailsrv-debtest.cfg")), "remove keeps " + ETC);

        Program.succeed("dpkg", "--purge", "tailsrv");
        assertTrue(Program.run("dpkg-query", "--status", "tailsrv").status() != 0, "purged: dpkg knows it no more");
        assertFalse(Files.exists(ETC), ETC + " is purged");
        for (String unit : List.of("tailsrv.service", "tailsrv@debtest.service")) {
            assertFalse(Files.exists(WANTS.resolve(unit), LinkOption.NOFOLLOW_LINKS), unit + " is no longer enabled");
        }
        assertEquals(0, Program.run("getent", "passwd", "tailsrv").status(), "the user stays, as Debian's practice is");
    }

    /** Whatever a failure left: the package, the enablement links, /etc/tailsrv, and the user if it made it. */
    private static void cleanUp(boolean hadUser) throws Exception {
        if (Program.run("dpkg-query", "--status", "tailsrv").status() == 0) {
            Program.Result purge = Program.run("dpkg", "--purge", "tailsrv");
            if (purge.status() != 0) {
                System.out.println("DebianPackageIT: dpkg --purge failed while cleaning up:\n" + purge.output());
            }
        }
        for (String unit : List.of("tailsrv.service", "tailsrv@debtest.service")) {
            Files.deleteIfExists(WANTS.resolve(unit));
        }
        for (Path path : List.of(ETC, CACHE)) {
            if (Files.exists(path)) {
                Program.run("rm", "-rf", path.toString());
            }
        }
        if (!hadUser && Program.run("getent", "passwd", "tailsrv").status() == 0) {
            Program.succeed("userdel", "tailsrv");
            if (Program.run("getent", "group", "tailsrv").status() == 0) {
                Program.succeed("groupdel", "tailsrv");
            }
        }
    }

    /**
     * setpriv and env: the user, the group and the clean environment the
     * unit gives, with its Environment= lines and {@code more}.
     */
    private static List<String> asTheUnitRunsIt(Map<String, String> more) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"); // systemd's default
        for (String line : Files.readAllLines(UNITS.resolve("tailsrv.service"))) {
            if (line.startsWith("Environment=")) {
                String[] variable = line.substring("Environment=".length()).split("=", 2);
                environment.put(variable[0], variable[1]);
            }
        }
        environment.putAll(more);
        String user = unitLine("tailsrv.service", "User");
        List<String> wrapper = new ArrayList<>(List.of("setpriv", "--reuid=" + user,
                "--regid=" + unitLine("tailsrv.service", "Group"), "--init-groups", "env", "-i"));
        environment.forEach((name, value) -> wrapper.add(name + "=" + value));
        return wrapper;
    }

    private static String unitLine(String unit, String key) throws IOException {
        return Files.readAllLines(UNITS.resolve(unit)).stream().filter(line -> line.startsWith(key + "="))
                .map(line -> line.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(unit + " has no " + key + "="));
    }

    private static long frameworkCaches() throws IOException {
        long count = 0;
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(CACHE, "tailsrv-felix-*")) {
            for (Path ignored : caches) {
                count++;
            }
        }
        return count;
    }
}
