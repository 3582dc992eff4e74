package io.tailsrv.runtime;

import static io.tailsrv.runtime.TestSupport.WAIT;
import static io.tailsrv.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What bin/tailsrv does for a short start and prompt first appends: the
 * class-data-sharing archive the build made, the C1-only JIT for one plain
 * file (C2 as well where TLS may be used), and compiler threads at the lowest
 * priority. Performance itself is measured by
 * compare.py (see the README); this checks that the means are in place.
 */
class StartupIT {

    @TempDir
    Path dir;

    @Test
    void theBuildMadeAClassDataSharingArchiveForThisJdk() throws Exception {
        Path archive = TailsrvProcess.HOME.resolve("lib/tailsrv.jsa");
        assertTrue(Files.size(archive) > 1 << 20, "the archive is " + Files.size(archive) + " bytes");
        assertTrue(Files.exists(TailsrvProcess.HOME.resolve("lib/tailsrv.jsa.jdk")));
        // -Xshare:on makes the JVM refuse to start rather than run without an archive it cannot map.
        try (TailsrvProcess version = TailsrvProcess.start(Map.of("JAVA_OPTS", "-Xshare:on"), "--version")) {
            assertEquals(0, version.awaitExit(WAIT), String.join("\n", version.stderr()));
            assertTrue(version.stdout().startsWith("tailsrv "), version.stdout());
        }
    }

    @Test
    void aStaleArchiveIsLeftOutSilently() throws Exception {
        Path stamp = TailsrvProcess.HOME.resolve("lib/tailsrv.jsa.jdk");
        String made = Files.readString(stamp);
        Files.writeString(stamp, "0 0\n"); // as if made by another JDK
        try (TailsrvProcess version = TailsrvProcess.start(
                Map.of("JAVA_OPTS", "-Xlog:cds+dynamic=info"), "--version")) {
            assertEquals(0, version.awaitExit(WAIT));
            String all = version.stdout() + String.join("\n", version.stderr());
            assertFalse(all.contains("tailsrv.jsa"), all);
        } finally {
            Files.writeString(stamp, made);
        }
    }

    /**
     * TAILSRV_CACHE_DIR (the Debian package's units set it): tailsrv-cds makes
     * the archive there, and bin/tailsrv, started through a symbolic link as
     * /usr/bin/tailsrv is, maps it from there and keeps the framework's
     * cache there; a directory without an archive is no error.
     */
    @Test
    void theCacheDirectoryHoldsTheArchiveAndTheFrameworkCache() throws Exception {
        Path cache = dir.resolve("cache");
        Path lib = TailsrvProcess.HOME.resolve("lib/tailsrv.jsa");
        long libArchive = Files.size(lib);
        Program.Result cds = Program.run("env", "TAILSRV_CACHE_DIR=" + cache,
                TailsrvProcess.HOME.resolve("bin/tailsrv-cds").toString());
        assertEquals(0, cds.status(), cds.output());
        assertTrue(Files.size(cache.resolve("tailsrv.jsa")) > 1 << 20, cds.output());
        assertTrue(Files.exists(cache.resolve("tailsrv.jsa.jdk")));
        assertEquals(libArchive, Files.size(lib), "the distribution's own archive is left alone");

        Path link = Files.createSymbolicLink(dir.resolve("tailsrv"), TailsrvProcess.HOME.resolve("bin/tailsrv").toAbsolutePath());
        try (TailsrvProcess version = TailsrvProcess.start(link, List.of(),
                Map.of("TAILSRV_CACHE_DIR", cache.toString(), "JAVA_OPTS", "-Xlog:class+load=info"), "--version")) {
            assertEquals(0, version.awaitExit(WAIT), String.join("\n", version.stderr()));
            // Classes from a dynamic archive load from "shared objects file (top)".
            assertTrue(version.stdout().contains("source: shared objects file (top)"), "no class came from the archive");
        }
        Path file = Files.writeString(dir.resolve("log"), "x");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start(link, List.of(), Map.of("TAILSRV_CACHE_DIR", cache.toString()),
                "-p", "" + port, file.toString()).awaitListening()) {
            try (DirectoryStream<Path> caches = Files.newDirectoryStream(cache, "tailsrv-felix-*")) {
                assertTrue(caches.iterator().hasNext(), "the framework's cache is in " + cache);
            }
        }

        Path empty = Files.createDirectory(dir.resolve("empty"));
        try (TailsrvProcess version = TailsrvProcess.start(link, List.of(), Map.of("TAILSRV_CACHE_DIR", empty.toString()),
                "--version")) {
            assertEquals(0, version.awaitExit(WAIT));
            assertEquals(List.of(), version.stderr());
            assertTrue(version.stdout().startsWith("tailsrv "), version.stdout());
        }
    }

    @Test
    void onePlainFileRunsC1OnlyAtTheLowestPriority() throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, "x");
        int port = Client.freePort();
        try (TailsrvProcess server = TailsrvProcess.start("-p", "" + port, file.toString()).awaitListening()) {
            Map<String, Integer> compilers = awaitNicedCompilers(server.pid());
            assertTrue(compilers.keySet().stream().allMatch(name -> name.startsWith("C1 ")), "C1 only: " + compilers);
        }
    }

    /** Host mode's configurations may ask for TLS at any time, whose AES-GCM only C2 compiles well. */
    @Test
    void hostModeRunsC2TooAtTheLowestPriority() throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, "x");
        ConfigDir config = ConfigDir.under(dir);
        config.serve("one", file, Client.freePort());
        try (TailsrvProcess server = TailsrvProcess.startHostMode(config).awaitInstancesListening("one")) {
            Map<String, Integer> compilers = awaitNicedCompilers(server.pid());
            assertTrue(compilers.keySet().stream().anyMatch(name -> name.startsWith("C2 ")), "C2 there: " + compilers);
        }
    }

    /**
     * The compiler threads and their nice values, once there are some and all are at 19; polls /proc, as nothing
     * announces it.
     */
    private static Map<String, Integer> awaitNicedCompilers(long pid) throws Exception {
        AtomicReference<Map<String, Integer>> compilers = new AtomicReference<>(Map.of());
        await(() -> "compiler threads, all at nice 19: " + compilers.get(), WAIT, () -> {
            compilers.set(compilerNiceness(pid));
            return !compilers.get().isEmpty() && compilers.get().values().stream().allMatch(nice -> nice == 19);
        });
        return compilers.get();
    }

    private static Map<String, Integer> compilerNiceness(long pid) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    if (comm.contains("CompilerThre")) {
                        int nice = Integer.parseInt(ProcFs.statFields(task.resolve("stat"))[19 - 3]);
                        out.put(comm + " " + task.getFileName(), nice);
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }
}
