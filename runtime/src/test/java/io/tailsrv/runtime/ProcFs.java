package io.tailsrv.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What Linux's /proc says about a process: its descriptors, threads, CPU
 * time, sockets and user; and its heap, through {@code jcmd}.
 */
final class ProcFs {

    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
    private static final Pattern HEAP_USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    private static long clockTicks; // guarded by ProcFs.class

    private ProcFs() {
    }

    /** Open file descriptors. */
    static int openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * The process's open sockets: its connections and listeners, without the
     * files the JVM opens and closes on its own (a jar, a /proc file).
     */
    static int openSockets(long pid) throws IOException {
        return (int) fdTargets(pid).stream().filter(target -> target.startsWith("socket:")).count();
    }

    /** What each open descriptor refers to: a path, {@code socket:[inode]}, {@code anon_inode:...}. */
    static List<String> fdTargets(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    static int threads(long pid) throws IOException {
        return Integer.parseInt(statusField(pid, "Threads"));
    }

    /** Resident memory (VmRSS), in bytes. */
    static long residentBytes(long pid) throws IOException {
        return Long.parseLong(statusField(pid, "VmRSS").replace("kB", "").strip()) * 1024;
    }

    /** The real, effective, saved and file-system user ids. */
    static String uids(long pid) throws IOException {
        return statusField(pid, "Uid");
    }

    /** User plus system CPU time so far. */
    static long cpuMillis(long pid) throws IOException {
        String[] fields = statFields(Path.of("/proc/" + pid + "/stat"));
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14, 15
        return ticks * 1000 / clockTicksPerSecond();
    }

    /**
     * The fields of a /proc stat file ({@code /proc/PID/stat} or
     * {@code /proc/PID/task/TID/stat}) after "(comm)": index 0 is the state
     * (field 3 in proc(5)), so field N is at index N - 3.
     */
    static String[] statFields(Path stat) throws IOException {
        String line = Files.readString(stat);
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * The TCP sockets of {@code pid} in state LISTEN, as {@code address:port}
     * (IPv4 dotted, IPv6 as the kernel's 32 hex digits).
     */
    static Set<String> listeningTcp(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] row : rows(table)) {
                if (row[3].equals("0A") && inodes.contains(row[9])) {
                    listening.add(address(row[1]));
                }
            }
        }
        return listening;
    }

    /** A TCP connection's state once the peer's FIN has arrived, as /proc/net/tcp shows it. */
    static final String CLOSE_WAIT = "08";

    /**
     * The state of the TCP connection from local port {@code localPort} to
     * remote port {@code remotePort}, as the kernel's two hex digits
     * ({@link #CLOSE_WAIT}, say); null if there is none.
     */
    static String tcpState(int localPort, int remotePort) throws IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] row : rows(table)) {
                if (port(row[1]) == localPort && port(row[2]) == remotePort) {
                    return row[3];
                }
            }
        }
        return null;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    /** The UDP and raw sockets of {@code pid}, as {@code table address:port}. */
    static Set<String> datagramSockets(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        Set<String> found = new HashSet<>();
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6", "/proc/net/raw", "/proc/net/raw6")) {
            for (String[] row : rows(table)) {
                if (inodes.contains(row[9])) {
                    found.add(table + " " + address(row[1]));
                }
            }
        }
        return found;
    }

    /** Heap in use after a full collection (Serial or G1), through {@code jcmd}. */
    static long heapUsedAfterFullGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new AssertionError("no heap figures in jcmd GC.heap_info:\n" + info);
        }
        return kib * 1024;
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    /** The soft limit on open files of {@code pid}. */
    static long openFilesLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new AssertionError("no open files limit in /proc/" + pid + "/limits");
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String target : fdTargets(pid)) {
            Matcher socket = SOCKET.matcher(target);
            if (socket.matches()) {
                inodes.add(socket.group(1));
            }
        }
        return inodes;
    }

    private static List<String[]> rows(String table) throws IOException {
        Path path = Path.of(table);
        if (!Files.exists(path)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(path);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.strip().split("\\s+"));
        }
        return rows;
    }

    /**
     * {@code 0100007F:1F90} to {@code 127.0.0.1:8080}, and so an IPv4-mapped
     * IPv6 address (how Java binds an IPv4 address on a dual-stack socket);
     * other IPv6 addresses stay in the kernel's hex.
     */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String host = parts[0];
        if (host.length() == 32 && host.startsWith("0000000000000000FFFF0000")) {
            host = host.substring(24);
        }
        if (host.length() != 8) {
            return host + ":" + port;
        }
        long ip = Long.parseLong(host, 16);
        return (ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff) + ":" + port;
    }

    private static String statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in /proc/" + pid + "/status");
    }

    private static synchronized long clockTicksPerSecond() throws IOException {
        if (clockTicks == 0) {
            try {
                Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
                String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                getconf.waitFor();
                clockTicks = Long.parseLong(out);
            } catch (IOException | NumberFormatException | InterruptedException e) {
                clockTicks = 100; // USER_HZ on every Linux architecture tailsrv runs on
            }
        }
        return clockTicks;
    }
}
