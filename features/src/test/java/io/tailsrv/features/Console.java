package io.tailsrv.features;

import static org.junit.Assert.assertEquals;

/** A way to run one console command line and read what it printed: ssh's exec channel, or an interactive shell. */
interface Console {

    String run(String line) throws Exception;

    /** Each line on an exec channel of its own, as {@code ssh host LINE} runs it; a line must succeed and print no error. */
    static Console exec(KarafSsh ssh) {
        return line -> {
            KarafSsh.Exec exec = ssh.exec(line);
            assertEquals(exec.toString(), 0, exec.status);
            assertEquals(exec.toString(), "", exec.err);
            return exec.out;
        };
    }

    /** Lines typed one after another into one terminal session. */
    static Console shell(ShellSession shell) {
        return shell::run;
    }
}
