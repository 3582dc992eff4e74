package io.tailsrv.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The assembled {@code bin/tailsrv}, run as a separate process the way a user
 * runs it. Its stderr is collected line by line so that tests can wait for
 * a log event instead of sleeping.
 */
final class TailsrvProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("tailsrv.home", "target/tailsrv"));

    private static final List<String> AS_NOBODY =
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    private final Process process;
    private final List<String> stderr = new ArrayList<>(); // guarded by this
    private final BitSet matched = new BitSet(); // lines an awaitLog returned already; guarded by this
    private final StringBuilder stdout = new StringBuilder();
    private final Thread stdoutReader;

    private TailsrvProcess(Process process) {
        this.process = process;
        Thread stderrReader = new Thread(() -> drain(process.getErrorStream(), this::collect), "tailsrv-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
        stdoutReader = new Thread(() -> drain(process.getInputStream(), line -> {
            synchronized (stdout) {
                stdout.append(line).append('\n');
            }
        }), "tailsrv-stdout");
        stdoutReader.setDaemon(true);
        stdoutReader.start();
    }

    static TailsrvProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    static TailsrvProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(List.of(), environment, args);
    }

    /**
     * Runs {@code bin/tailsrv args} through {@code wrapper} (a command that
     * runs the command line it is given), with {@code environment} added.
     * Whatever systemd may have set for the test run itself is left out, so
     * that a test decides what tailsrv is told.
     */
    static TailsrvProcess start(List<String> wrapper, Map<String, String> environment, String... args)
            throws IOException {
        return start(HOME.resolve("bin/tailsrv"), wrapper, environment, args);
    }

    /**
     * Runs {@code bin/tailsrv --config-dir} on {@code config}, with
     * {@code more} arguments; returns once it has read the directory (and
     * logged "serving N instances from").
     */
    static TailsrvProcess startHostMode(ConfigDir config, String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--config-dir", config.dir.toString()));
        args.addAll(List.of(more));
        TailsrvProcess process = start(args.toArray(String[]::new));
        process.awaitLog("serving \\d+ instances? from ", TestSupport.WAIT);
        return process;
    }

    /**
     * Runs {@code bin/tailsrv args} as {@code nobody} (setpriv: no
     * capabilities, no groups), from {@link TestSupport#worldReadableHome()}:
     * nobody may not be allowed into the checkout that holds {@link #HOME}.
     * What it is to serve must be where nobody can reach it, too
     * ({@link TestSupport#worldReadableDirectory()}).
     */
    static TailsrvProcess startAsNobody(String... args) throws IOException {
        return start(TestSupport.worldReadableHome().resolve("bin/tailsrv"), AS_NOBODY, Map.of(), args);
    }

    /** As {@link #start(List, Map, String...)}, but {@code program} rather than the assembled bin/tailsrv: an installed one. */
    static TailsrvProcess start(Path program, List<String> wrapper, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(program.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        builder.environment().putAll(environment);
        return new TailsrvProcess(builder.start());
    }

    /**
     * Waits for a stderr line matching {@code regex} (found anywhere in the
     * line) that no earlier call returned, logged before this call or after;
     * returns it.
     */
    synchronized String awaitLog(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        while (true) {
            for (; next < stderr.size(); next++) {
                if (!matched.get(next) && pattern.matcher(stderr.get(next)).find()) {
                    matched.set(next);
                    return stderr.get(next);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no log line matching /" + regex + "/ within " + timeout
                        + "; stderr so far:\n" + String.join("\n", stderr));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized void collect(String line) {
        stderr.add(line);
        notifyAll();
    }

    /** Waits until the server logs that it listens (serving or waiting for its file). */
    TailsrvProcess awaitListening() throws InterruptedException {
        awaitLog("listening on ", Duration.ofSeconds(30));
        return this;
    }

    /** Waits until each instance named logs that it listens (serving, or waiting for its file). */
    TailsrvProcess awaitInstancesListening(String... names) throws InterruptedException {
        for (String name : names) {
            awaitLog("\\[" + Pattern.quote(name) + "\\] listening on ", TestSupport.WAIT);
        }
        return this;
    }

    /** Waits for the process to end; fails the test if it does not within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("tailsrv still running after " + timeout + "; stderr:\n" + String.join("\n", stderr()));
        }
        try {
            stdoutReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** The process's standard input, for scripting its console. */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    /** Lines logged so far that match {@code regex}. */
    synchronized List<String> logged(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return stderr.stream().filter(line -> pattern.matcher(line).find()).toList();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    synchronized List<String> stderr() {
        return List.copyOf(stderr);
    }

    String stdout() {
        synchronized (stdout) {
            return stdout.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy); // what a wrapper started, if any
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static void drain(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
