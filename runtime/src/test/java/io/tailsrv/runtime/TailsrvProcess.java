package io.tailsrv.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The assembled {@code bin/tailsrv}, run as a separate process the way a user
 * runs it. Its stderr is collected line by line so that tests can wait for
 * a log event instead of sleeping.
 */
final class TailsrvProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("tailsrv.home", "target/tailsrv"));

    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final StringBuilder stdout = new StringBuilder();
    private final Thread stdoutReader;

    private TailsrvProcess(Process process) {
        this.process = process;
        Thread stderrReader = new Thread(() -> drain(process.getErrorStream(), line -> {
            stderr.add(line);
            unread.add(line);
        }), "tailsrv-stderr");
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
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/tailsrv").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new TailsrvProcess(builder.start());
    }

    /** Waits for a stderr line matching {@code regex} (found anywhere in the line); returns it. */
    String awaitLog(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? unread.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no log line matching /" + regex + "/ within " + timeout
                        + "; stderr so far:\n" + String.join("\n", stderr));
            }
            if (pattern.matcher(line).find()) {
                return line;
            }
        }
    }

    /** Waits until the server logs that it listens (serving or waiting for its file). */
    TailsrvProcess awaitListening() throws InterruptedException {
        awaitLog("listening on ", Duration.ofSeconds(30));
        return this;
    }

    /** Waits for the process to end; fails the test if it does not within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("tailsrv still running after " + timeout + "; stderr:\n" + String.join("\n", stderr));
        }
        try {
            stdoutReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    String stdout() {
        synchronized (stdout) {
            return stdout.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
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
