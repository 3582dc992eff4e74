package io.tailsrv.shell.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/** One call of {@link Cli#parse}, with what it printed. */
record Parsing<T>(Optional<T> options, String out, String err) {

    static <T> Parsing<T> of(T options, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Optional<T> parsed = Cli.parse(options, args, new PrintWriter(out), new PrintWriter(err));
        return new Parsing<>(parsed, out.toString(), err.toString());
    }

    T parsed() {
        return options.orElseThrow(() -> new AssertionError("not parsed; printed: " + out + err));
    }
}
