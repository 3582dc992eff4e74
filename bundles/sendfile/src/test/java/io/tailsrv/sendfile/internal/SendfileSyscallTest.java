package io.tailsrv.sendfile.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tailsrv.api.ZeroCopySender;

/**
 * The proof that file bytes never enter user space: a child JVM sends 1 GiB
 * through {@link SendfileSender} (sendfile on the channels' descriptors) under strace, and the trace must show
 * sendfile moving all of it and no read or mmap of the file. The file is
 * sparse: its pages are zeros the kernel makes, so the test costs no disk.
 */
class SendfileSyscallTest {

    private static final long ONE_GIB = 1L << 30;
    private static final String TRACED = "sendfile,read,pread64,readv,preadv,preadv2,mmap";

    /** {@code PID name(args...) = result}, as strace -f writes a finished call. */
    private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)\\)\\s+=\\s+(-?\\d+).*$");
    private static final Pattern UNFINISHED = Pattern.compile("^(\\d+)\\s+(.*) <unfinished \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. \\w+ resumed>(.*)$");

    @TempDir
    Path dir;

    @Test
    void sendfileMovesTheWholeFileAndNothingReadsIt() throws Exception {
        assumeTrue(straceWorks(), "strace is not installed or may not trace here: no syscall proof");
        Path file = dir.resolve("one-gibibyte");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(ONE_GIB);
        }
        Path trace = dir.resolve("strace.out");
        Path output = dir.resolve("child.out");

        Process child = new ProcessBuilder(
                "strace", "-f", "-y", "-e", "trace=" + TRACED, "-o", trace.toString(),
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", childClassPath(),
                SendFileToDrain.class.getName(), file.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = child.waitFor(60, SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String printed = Files.readString(output, UTF_8);
        assertTrue(exited, "child still running after 60 s:\n" + printed);
        assertEquals(0, child.exitValue(), printed);

        Map<String, String> said = Stream.of(printed.split("\n"))
                .map(line -> line.split(" ", 2))
                .filter(words -> words.length == 2)
                .collect(Collectors.toMap(words -> words[0], words -> words[1], (a, b) -> a));
        assertEquals(String.valueOf(ONE_GIB), said.get("sent"), printed);
        assertEquals(String.valueOf(ONE_GIB), said.get("drained"), printed);
        // -y writes each descriptor as N<path>: the number alone could be reused, with the path it cannot
        String theFile = said.get("fd") + "<" + file.toRealPath() + ">";

        long sentByKernel = 0;
        List<String> otherUses = new ArrayList<>();
        for (String call : finishedCalls(trace)) {
            Matcher m = CALL.matcher(call);
            if (!m.matches() || !m.group(2).contains(theFile)) {
                continue;
            }
            if (m.group(1).equals("sendfile") && m.group(2).contains(", " + theFile + ",")) {
                sentByKernel += Long.parseLong(m.group(3));
            } else {
                otherUses.add(call);
            }
        }
        long moved = sentByKernel;
        assertAll(
                () -> assertEquals(ONE_GIB, moved, "bytes sendfile(2) moved from " + theFile),
                () -> assertEquals(List.of(), otherUses, "calls that read or mapped the file"));
    }

    /** The trace's calls, each on one line: a call another thread interrupted is joined to its end. */
    private static List<String> finishedCalls(Path trace) throws IOException {
        List<String> calls = new ArrayList<>();
        Map<String, String> started = new HashMap<>();
        for (String line : Files.readAllLines(trace, UTF_8)) {
            Matcher unfinished = UNFINISHED.matcher(line);
            Matcher resumed = RESUMED.matcher(line);
            if (unfinished.matches()) {
                started.put(unfinished.group(1), unfinished.group(1) + " " + unfinished.group(2));
            } else if (resumed.matches() && started.containsKey(resumed.group(1))) {
                calls.add(started.remove(resumed.group(1)) + resumed.group(2));
            } else {
                calls.add(line);
            }
        }
        return calls;
    }

    /**
     * Where the child finds the sender, its API and itself: the locations of
     * the classes it needs (not the whole test class path, which it does not need).
     */
    private static String childClassPath() {
        return Stream.of(SendFileToDrain.class, SendfileSender.class, ZeroCopySender.class, com.sun.jna.Native.class,
                        org.slf4j.Logger.class)
                .map(type -> type.getProtectionDomain().getCodeSource().getLocation().getPath())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean straceWorks() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("strace", "-o", "/dev/null", "true")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return probe.waitFor(10, SECONDS) && probe.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
