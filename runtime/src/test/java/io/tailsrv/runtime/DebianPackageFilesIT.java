package io.tailsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Debian package the build makes holds, as dpkg-deb shows it, and
 * what lintian says of it; no root needed. Without dpkg-deb it skips;
 * lintian must be there (.ci/run installs it). {@link DebianPackageIT}
 * installs the package.
 */
class DebianPackageFilesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SAMPLE = "/etc/tailsrv/tailsrv-example.cfg.sample";

    private BuiltDeb deb;

    @TempDir
    Path dir;

    @BeforeEach
    void thePackageWasBuilt() throws Exception {
        deb = BuiltDeb.find();
    }

    @Test
    void theControlFileNamesWhatItNeedsAndItsConffiles() throws Exception {
        String info = Program.succeed("dpkg-deb", "--info", deb.path().toString());
        for (String line : List.of("Package: tailsrv", "Architecture: all", "Section: net",
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser, systemd")) {
            assertTrue(info.lines().anyMatch(l -> l.strip().equals(line)), line + " in\n" + info);
        }
        assertEquals("tailsrv_" + deb.version() + "_all.deb", deb.path().getFileName().toString());
        for (String script : List.of("postinst", "prerm", "postrm", "triggers", "conffiles")) {
            assertTrue(info.contains(" " + script + " "), script + " in\n" + info);
        }
        Path control = dir.resolve("control");
        Program.succeed("dpkg-deb", "--control", deb.path().toString(), control.toString());
        assertEquals(List.of(SAMPLE), Files.readAllLines(control.resolve("conffiles")));
        assertEquals(List.of("interest-noawait /usr/lib/jvm"), Files.readAllLines(control.resolve("triggers")).stream()
                .filter(line -> !line.startsWith("#")).toList());
    }

    @Test
    void everyFileIsInItsDebianPlace() throws Exception {
        Map<String, String> contents = contents();
        for (String file : List.of("/usr/share/tailsrv/lib/tailsrv-launcher.jar",
                "/usr/share/tailsrv/lib/org.apache.felix.framework.jar", "/usr/share/tailsrv/lib/find-java.sh",
                "/usr/share/tailsrv/bundle/io.tailsrv.server.jar", "/usr/share/tailsrv/bundle/host/org.apache.felix.fileinstall.jar",
                "/usr/share/tailsrv/bundle/console/io.tailsrv.shell.jar", "/usr/share/tailsrv/lib/bench/tailsrv-bench.jar",
                "/usr/share/tailsrv/etc/gosh_profile", SAMPLE, "/lib/systemd/system/tailsrv.service",
                "/lib/systemd/system/tailsrv@.service", "/usr/share/man/man1/tailsrv.1.gz",
                "/usr/share/man/man1/tailsrv-bench.1.gz", "/usr/share/doc/tailsrv/copyright",
                "/usr/share/doc/tailsrv/changelog.gz", "/usr/share/doc/tailsrv/README.md.gz")) {
            assertTrue(contents.getOrDefault(file, "").startsWith("-rw-r--r-- root/root"), file + ": " + contents.get(file));
        }
        for (String script : List.of("tailsrv", "tailsrv-bench", "tailsrv-cds")) {
            String file = "/usr/share/tailsrv/bin/" + script;
            assertTrue(contents.getOrDefault(file, "").startsWith("-rwxr-xr-x root/root"), file + ": " + contents.get(file));
        }
        assertTrue(contents.get("/usr/bin/tailsrv").endsWith(" -> ../share/tailsrv/bin/tailsrv"), contents.get("/usr/bin/tailsrv"));
        assertTrue(contents.get("/usr/bin/tailsrv-bench").endsWith(" -> ../share/tailsrv/bin/tailsrv-bench"));
        // Made at install, or not for this package: the build's archive, the tarball's units and licence.
        for (String absent : List.of("/usr/share/tailsrv/lib/tailsrv.jsa", "/usr/share/tailsrv/systemd/tailsrv.service",
                "/usr/share/tailsrv/UNLICENSE", "/usr/share/tailsrv/etc/tailsrv-example.cfg.sample")) {
            assertFalse(contents.containsKey(absent), absent);
        }
        assertTrue(contents.keySet().stream().allMatch(path -> path.startsWith("/usr/") || path.startsWith("/etc/")
                || path.startsWith("/lib/")), "only /usr, /etc and /lib: " + contents.keySet());
        String copyright = unpacked("/usr/share/doc/tailsrv/copyright");
        assertTrue(copyright.startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
        assertTrue(copyright.contains("License: Unlicense\n This is free and unencumbered software"), copyright);
    }

    /** tailsrv(1) is made from the command's own annotations: every option --help lists is in it. */
    @Test
    void theManPageDocumentsEveryOptionOfTheHelp() throws Exception {
        String help;
        try (TailsrvProcess process = TailsrvProcess.start("--help")) {
            assertEquals(0, process.awaitExit(WAIT));
            help = process.stdout();
        }
        String page = unpacked("/usr/share/man/man1/tailsrv.1.gz").replace("\\-", "-");
        assertTrue(page.contains(".TH \"TAILSRV\" \"1\""), page);
        Matcher option = Pattern.compile("(?m)^\\s+(?:-\\w, )?(--[\\w-]+)").matcher(help);
        List<String> options = new ArrayList<>();
        while (option.find()) {
            options.add(option.group(1));
            assertTrue(page.contains("\\fB" + option.group(1) + "\\fP"), option.group(1) + " in\n" + page);
        }
        assertTrue(options.size() >= 8, "options of --help: " + options);
        String synopsis = page.substring(page.indexOf(".SH \"SYNOPSIS\""), page.indexOf(".SH \"DESCRIPTION\""));
        assertTrue(synopsis.contains("\ntailsrv -p PORT [--bind ADDR]") && synopsis.contains("\nFILE\n.br\ntailsrv --config-dir DIR "),
                "the synopsis, a line for each mode, the one-file mode ending with FILE:\n" + synopsis);
        String bench = unpacked("/usr/share/man/man1/tailsrv-bench.1.gz");
        for (String subcommand : List.of("catchup", "fanout", "latency", "idle", "all")) {
            assertTrue(bench.contains(".SS " + subcommand + "\n"), subcommand + " in\n" + bench);
        }
    }

    @Test
    void lintianFindsNoError() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "lintian is missing: apt-get install lintian (.ci/run does)");
        Program.Result lintian = Program.run("lintian", "--pedantic", deb.path().toString());
        System.out.printf("DebianPackageFilesIT lintian (exit %d):%n%s", lintian.status(), lintian.output());
        assertTrue(lintian.output().lines().noneMatch(line -> line.startsWith("E: ")), lintian.output());
        assertEquals(0, lintian.status(), lintian.output());
    }

    /** {@code dpkg-deb --contents}: each path (without its leading dot) and its line. */
    private Map<String, String> contents() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Program.succeed("dpkg-deb", "--contents", deb.path().toString()).split("\n")) {
            Matcher path = Pattern.compile(" \\.(/\\S*)").matcher(line);
            if (path.find()) {
                out.put(path.group(1), line);
            }
        }
        return out;
    }

    /** A file of the package, gunzipped if it ends in .gz. */
    private String unpacked(String path) throws Exception {
        Path tree = dir.resolve("unpacked");
        if (!Files.exists(tree)) {
            Program.succeed("dpkg-deb", "--extract", deb.path().toString(), tree.toString());
        }
        Path file = tree.resolve(path.substring(1));
        try (InputStream in = path.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
