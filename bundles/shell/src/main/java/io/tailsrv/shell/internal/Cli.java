package io.tailsrv.shell.internal;

import java.io.PrintWriter;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;

/** How every tailsrv command reads its arguments: picocli, with usage on {@code -h} and on errors. */
final class Cli {

    /** The service property that puts a command in the {@code tailsrv} scope, in Gogo and in Karaf. */
    static final String SCOPE = "osgi.command.scope=tailsrv";
    static final String FUNCTION = "osgi.command.function=";

    private Cli() {
    }

    /**
     * Parses {@code args} into {@code options}, printing to the calling
     * session's streams. Gogo replaces System.out and System.err per session
     * thread, so they are looked up at each call, never kept.
     *
     * @return the options, or empty when help was printed or the arguments were bad
     */
    static <T> Optional<T> parse(T options, String... args) {
        return parse(options, args, new PrintWriter(System.out), new PrintWriter(System.err));
    }

    static <T> Optional<T> parse(T options, String[] args, PrintWriter out, PrintWriter err) {
        // A new CommandLine per call: the options object holds one call's values.
        CommandLine line = new CommandLine(options)
                .setOut(out)
                .setErr(err)
                // the session's output may be a pipe or a file even when the JVM has a terminal
                .setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        try {
            return CommandLine.printHelpIfRequested(line.parseArgs(args)) ? Optional.empty() : Optional.of(options);
        } catch (ParameterException e) {
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            return Optional.empty();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** What {@code -V} prints: this bundle's version, when running in a framework. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Bundle bundle = FrameworkUtil.getBundle(Cli.class);
            return new String[] {"tailsrv shell " + (bundle == null ? "(not in a framework)" : bundle.getVersion())};
        }
    }
}
