package io.tailsrv.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A system program (dpkg, systemd-analyze, ...) run to its end, with nothing on its standard input. */
final class Program {

    private static final long TIMEOUT_SECONDS = 120;

    /** How it ended, and what it wrote on stdout and stderr together. */
    record Result(int status, String output) {
    }

    private Program() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** Runs a program that must exit 0; returns its output. */
    static String succeed(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.status() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Fails the test if the program is still running after two minutes. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // a program that would ask a question fails instead of waiting
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), output);
    }
}
